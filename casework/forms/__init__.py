"""Forms validate and convert; the services do the writing."""
