"""WAGI: run a WASI command module as an HTTP handler, the CGI 1.1 way.

The request reaches the module as environment variables, argv (the query) and stdin (the body); the
response leaves on stdout as a header block, a blank line and the body. `handler` runs one request,
`routes` reads a WAGI `modules.toml`, `server` serves many requests on loopback. A wasi:http component
(which wasmtime-py cannot call) is served by the wasmtime command line instead: `wasmtime_serve`.
"""

from wasi_playground.core.wagi.request import HttpRequest, RequestError
from wasi_playground.core.wagi.response import HttpResponse, parse_cgi_output

__all__ = ["HttpRequest", "HttpResponse", "RequestError", "parse_cgi_output"]
