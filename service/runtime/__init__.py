"""Running the service: the composition root (`compose`), the HTTP server and
headless roles (`server`), the scheduler, the webhook worker's threads, and
the metrics."""
