"""Reading what people wrote (YAML answer files, the team config) and writing files atomically."""
