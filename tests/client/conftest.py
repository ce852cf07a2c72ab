from tests.helpers.fixtures import make_service, service, token

__all__ = ["make_service", "service", "token"]
