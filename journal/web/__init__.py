"""The thin web layer: one blueprint per module, each exporting `bp`."""
