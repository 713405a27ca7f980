#ifndef WAREHOUSE_CCRYPTO_SHIM_H
#define WAREHOUSE_CCRYPTO_SHIM_H
/* Only SHA-256, to fingerprint snapshots; libpq-dev already depends on libssl-dev. */
#include <openssl/evp.h>
#include <openssl/sha.h>
#endif
