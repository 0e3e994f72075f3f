"""Static files for production: whitenoise's compressed, hashed ("manifest") storage."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Leaves alone references to files that are not shipped, instead of failing collectstatic.

    The vendored Bootstrap files point at source maps and at a .woff fallback font that we
    don't ship (browsers use the .woff2); those references stay as written and would 404,
    as they do today. Every file that exists still gets its hashed name.
    """

    def hashed_name(self, name, content=None, filename=None):
        try:
            return super().hashed_name(name, content, filename)
        except ValueError:
            if content is None:
                return name
            raise
