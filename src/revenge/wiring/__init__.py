"""Part of the composition root: the services that span features, built for one `Runtime`.

A builder here may import any feature; no feature imports it (type-only imports aside), so
calls that would go against the layer order of ARCHITECTURE.md are wired here instead.
"""
