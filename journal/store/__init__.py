"""The database side of the domain: flag states, and one way to store a day."""
