// Adapter tests follow.
