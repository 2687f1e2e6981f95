"""Static files storage for production: whitenoise's compressed, hashed files, tolerant of one flaw.

viewflow's bundled roboto-fontface.css references font weights the package does not ship
(Roboto-Thin.woff2 among them). Django's manifest storage refuses to collect a stylesheet with a
broken reference; this storage leaves such a reference as it is (it answers 404, as it would
have anyway) and hashes everything else.
"""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    def hashed_name(self, name, content=None, filename=None):
        try:
            return super().hashed_name(name, content, filename)
        except ValueError:
            if content is None and not self.exists(filename or name):
                return name  # a reference to a file nobody shipped
            raise
