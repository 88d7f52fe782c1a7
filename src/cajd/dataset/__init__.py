"""The dataset pipeline: read → validate all → resolve references → write in one transaction."""
