"""Our charts as SVG, drawn from our numbers: funding, feedback; axes, legend, the writer."""
