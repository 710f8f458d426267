"""The live show in the shell: the repaint loop (no tick: one wake per change), what the
screens show at one instant (``Display``), the cues' standby and GO, the stage side's wiring."""
