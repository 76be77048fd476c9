"""The golden test's hand-made extract and its expected IndicatorTable."""
