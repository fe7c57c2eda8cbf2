"""Moving in: importers for WordPress exports (WXR) and Disqus exports, and old-URL redirects."""
