"""Where tickets come from and where they are kept: the connectors of the
configured sources (`sources`), the stored tickets and their assessments
(`store`, `models`), and a ticket as stored JSON (`snapshot`)."""
