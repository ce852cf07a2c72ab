"""A userspace link emulator for make bench-network: namespaces, TUN devices, a forwarder."""
