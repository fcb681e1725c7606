"""Gastgeber: kiosk check-in, live host alerts, timing of acknowledgment and greeting."""


def create_app(config=None):
    """Build the Flask app (see kiosk.app.create_app); imported lazily so the CLI stays light."""
    from kiosk.app import create_app as factory

    return factory(config)
