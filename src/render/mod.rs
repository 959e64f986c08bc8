//! Charts, drawn with plotters on any backend (an HTML canvas on the page, SVG in tests).
