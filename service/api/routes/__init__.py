"""The HTTP API: thin routes over the service functions, one module per resource."""
