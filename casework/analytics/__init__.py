"""Analytics on top of the pure scorer: agreement, sensitivity and cohort percentiles (no models)."""
