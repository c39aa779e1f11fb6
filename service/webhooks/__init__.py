"""Webhooks: receiving deliveries (`intake`: verify, store, group commit), the
handlers that say what a delivery means (`handlers`), the inbox the worker
drains under a lease (`inbox`), and the inbox for operators (`deliveries`)."""
