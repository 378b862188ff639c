"""Finding, assembling and verifying model files that ship inside PyPI packages."""
from .packaged import PACKAGED_MODELS, PackagedModel, ensure_model, model_status

__all__ = ["PACKAGED_MODELS", "PackagedModel", "ensure_model", "model_status"]
