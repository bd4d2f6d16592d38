"""What every view of one open module shares, below the regions that show it: what the document does
(`document_model`: inspection, saving, runs, history, watching), the context its views share (`context`),
the contract every view follows (`panel`), the registry of panels, the side-list navigator, what the
window hands it (`services`), and the bridge from a core run to the GUI thread (`run_controller`)."""
