"""People credited on catalogue items: cast, crew, authors, narrators, artists."""
