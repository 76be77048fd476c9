"""The input contract and everything that reads and checks register extracts."""
