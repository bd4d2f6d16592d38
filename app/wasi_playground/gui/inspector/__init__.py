"""What a module is and what it needs: Overview, Imports/Exports, Capabilities and WIT."""
