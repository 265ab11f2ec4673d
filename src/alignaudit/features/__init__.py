"""What is built on audits: many teams (batch), rounds (compare), statement pairs, the CI gate,
anonymity."""
