"""Integrations with tools beside the server: Radarr/Sonarr/Lidarr webhooks, podcast feeds.

Both end in the scanner: a hook names folders that changed, a feed download adds a file to
a podcast library's folder; either way the folder is queued as a scan request
(`integration_scan_requests`), and `integrations.scan_requested` turns the pending requests
of each library into one folder scan, so new items enter the catalogue (and are announced)
exactly like files found by any other scan.
"""
