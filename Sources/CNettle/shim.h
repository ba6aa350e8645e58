#ifndef STICK_CNETTLE_SHIM_H
#define STICK_CNETTLE_SHIM_H
// Nettle (Debian nettle-dev; libarchive already links it): SHA-256 for artifact hashes, SHA-512 for
// Python's string seeding. A system library keeps BoringSSL out of the stages that need no TLS.
#include <nettle/sha2.h>
#endif
