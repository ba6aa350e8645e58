#ifndef STICK_CARCHIVE_SHIM_H
#define STICK_CARCHIVE_SHIM_H
#include <archive.h>
#include <archive_entry.h>
#include <sys/stat.h>

// Swift does not import the AE_IF* macros (they expand to casts); expose them as constants.
static const unsigned int STICK_AE_IFREG = 0100000;
static const unsigned int STICK_AE_IFDIR = 0040000;
static const unsigned int STICK_AE_IFLNK = 0120000;
static const unsigned int STICK_AE_IFMT  = 0170000;
#endif
