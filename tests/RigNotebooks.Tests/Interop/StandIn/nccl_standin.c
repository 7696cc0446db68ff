/* Stand-in for libnccl.so.2: canned version, checked unique ids, an all-reduce computed on the host. Not NCCL. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef int ncclResult_t;
typedef struct ncclComm { int rank; int nranks; int device; } *ncclComm_t;
typedef struct { char internal[128]; } ncclUniqueId;

#define OK 0
#define INVALID_ARGUMENT 4
#define INVALID_USAGE 5

static int group_depth = 0;
static int group_starts = 0;
static int live_comms = 0;

int standin_nccl_live_comms(void) { return live_comms; }
int standin_nccl_group_starts(void) { return group_starts; }
int standin_nccl_group_depth(void) { return group_depth; }
int standin_sizeof_unique_id(void) { return (int)sizeof(ncclUniqueId); }

ncclResult_t ncclGetVersion(int *v) { if (!v) return INVALID_ARGUMENT; *v = 22105; return OK; }

ncclResult_t ncclGetUniqueId(ncclUniqueId *id) {
    if (!id) return INVALID_ARGUMENT;
    for (int i = 0; i < 128; i++) id->internal[i] = (char)(i * 7 + 3);
    return OK;
}

/* The id arrives by value: reject anything that is not the pattern ncclGetUniqueId wrote. */
ncclResult_t ncclCommInitRank(ncclComm_t *comm, int nranks, ncclUniqueId id, int rank) {
    if (!comm || nranks <= 0 || rank < 0 || rank >= nranks) return INVALID_ARGUMENT;
    for (int i = 0; i < 128; i++) if (id.internal[i] != (char)(i * 7 + 3)) return INVALID_ARGUMENT;
    ncclComm_t c = (ncclComm_t)malloc(sizeof(struct ncclComm));
    c->rank = rank; c->nranks = nranks; c->device = rank;
    live_comms++; *comm = c; return OK;
}

ncclResult_t ncclCommInitAll(ncclComm_t *comms, int ndev, const int *devlist) {
    if (!comms || ndev <= 0) return INVALID_ARGUMENT;
    for (int i = 0; i < ndev; i++) {
        ncclComm_t c = (ncclComm_t)malloc(sizeof(struct ncclComm));
        c->rank = i; c->nranks = ndev; c->device = devlist ? devlist[i] : i;
        comms[i] = c; live_comms++;
    }
    return OK;
}

ncclResult_t ncclCommDestroy(ncclComm_t c) { if (!c) return INVALID_ARGUMENT; free(c); live_comms--; return OK; }
ncclResult_t ncclCommAbort(ncclComm_t c) { return ncclCommDestroy(c); }
ncclResult_t ncclCommGetAsyncError(ncclComm_t c, ncclResult_t *e) { if (!c || !e) return INVALID_ARGUMENT; *e = OK; return OK; }
ncclResult_t ncclCommCount(ncclComm_t c, int *n) { if (!c || !n) return INVALID_ARGUMENT; *n = c->nranks; return OK; }
ncclResult_t ncclCommCuDevice(ncclComm_t c, int *d) { if (!c || !d) return INVALID_ARGUMENT; *d = c->device; return OK; }
ncclResult_t ncclCommUserRank(ncclComm_t c, int *r) { if (!c || !r) return INVALID_ARGUMENT; *r = c->rank; return OK; }

/* As if every rank held the same data: sum = nranks x value (float32 only); anything else is refused. */
ncclResult_t ncclAllReduce(const void *send, void *recv, size_t count, int datatype, int op, ncclComm_t comm, void *stream) {
    if (!send || !recv || !comm || !stream) return INVALID_ARGUMENT;
    if (datatype != 7 || op != 0) return INVALID_ARGUMENT;
    const float *s = (const float *)send; float *r = (float *)recv;
    for (size_t i = 0; i < count; i++) r[i] = s[i] * (float)comm->nranks;
    return OK;
}

ncclResult_t ncclGroupStart(void) { group_depth++; group_starts++; return OK; }
ncclResult_t ncclGroupEnd(void) { if (group_depth == 0) return INVALID_USAGE; group_depth--; return OK; }

const char *ncclGetErrorString(ncclResult_t r) {
    switch (r) {
        case OK: return "no error";
        case INVALID_ARGUMENT: return "invalid argument (run with NCCL_DEBUG=WARN for details)";
        case INVALID_USAGE: return "invalid usage (run with NCCL_DEBUG=WARN for details)";
        default: return "unknown result code";
    }
}
