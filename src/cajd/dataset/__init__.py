"""The dataset pipeline: read → validate everything → resolve references → write in one transaction."""
