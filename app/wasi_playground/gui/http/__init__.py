"""The HTTP tab: a module as a WAGI handler, one request at a time or served on loopback."""
