"""Reading documents: one loader per format -> a Document of pages; normalising; limits."""
