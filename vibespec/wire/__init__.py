"""Infobip's wire shapes: the request body (`request`, its shape checks in `shape`), inbound webhooks
(`inbound_models`, parsed and checked by `inbound`) and delivery reports (`report_models`, `reports`)."""
