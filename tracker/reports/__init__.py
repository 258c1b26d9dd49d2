"""PDF progress reports: periods, contents, rendering, published versions."""
