/* Stand-in for libnccl.so.2: canned version, checked unique ids, an all-reduce computed on the host. Not NCCL.
   Communicators made with ncclCommInitRankConfig(blocking = 0) behave as non-blocking ones do: init, collectives and
   finalize return ncclInProgress and ncclCommGetAsyncError says ncclInProgress once before ncclSuccess. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef int ncclResult_t;
typedef struct ncclComm { int rank; int nranks; int device; int blocking; int pending; } *ncclComm_t;
typedef struct { char internal[128]; } ncclUniqueId;
/* ncclConfig_v21400 from nccl.h.in (NCCL 2.14): the fields this stand-in reads. */
typedef struct { size_t size; unsigned int magic; unsigned int version; int blocking; } ncclConfig_v21400;

#define OK 0
#define INVALID_ARGUMENT 4
#define INVALID_USAGE 5
#define IN_PROGRESS 7

static int group_depth = 0;
static int group_starts = 0;
static int live_comms = 0;

int standin_nccl_live_comms(void) { return live_comms; }
int standin_nccl_group_starts(void) { return group_starts; }
int standin_nccl_group_depth(void) { return group_depth; }
int standin_sizeof_unique_id(void) { return (int)sizeof(ncclUniqueId); }
int standin_sizeof_config(void) { return (int)sizeof(ncclConfig_v21400); }
int standin_offsetof_config_blocking(void) { return (int)((char *)&((ncclConfig_v21400 *)0)->blocking - (char *)0); }
static int config_inits = 0;
static long corrupt_index = -1;
/* The next collective writes a wrong value at element i (to see that a data check notices). */
void standin_nccl_corrupt_next(long i) { corrupt_index = i; }
static void corrupt(float *r, size_t count) { if (corrupt_index >= 0 && (size_t)corrupt_index < count) r[corrupt_index] += 1.0f; corrupt_index = -1; }
int standin_nccl_config_inits(void) { return config_inits; }

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
    c->rank = rank; c->nranks = nranks; c->device = rank; c->blocking = 1; c->pending = 0;
    live_comms++; *comm = c; return OK;
}

/* Checks the config as NCCL does (magic, a 2.14+ version, blocking 0 or 1); non-blocking answers "in progress". */
ncclResult_t ncclCommInitRankConfig(ncclComm_t *comm, int nranks, ncclUniqueId id, int rank, ncclConfig_v21400 *config) {
    if (!config || config->size < sizeof(ncclConfig_v21400) || config->magic != 0xcafebeef || config->version < 21400) return INVALID_ARGUMENT;
    if (config->blocking != 0 && config->blocking != 1) return INVALID_ARGUMENT;
    ncclResult_t r = ncclCommInitRank(comm, nranks, id, rank);
    if (r != OK) return r;
    config_inits++;
    (*comm)->blocking = config->blocking;
    if (config->blocking) return OK;
    (*comm)->pending = 1; return IN_PROGRESS;
}

ncclResult_t ncclCommInitAll(ncclComm_t *comms, int ndev, const int *devlist) {
    if (!comms || ndev <= 0) return INVALID_ARGUMENT;
    for (int i = 0; i < ndev; i++) {
        ncclComm_t c = (ncclComm_t)malloc(sizeof(struct ncclComm));
        c->rank = i; c->nranks = ndev; c->device = devlist ? devlist[i] : i; c->blocking = 1; c->pending = 0;
        comms[i] = c; live_comms++;
    }
    return OK;
}

ncclResult_t ncclCommDestroy(ncclComm_t c) { if (!c) return INVALID_ARGUMENT; free(c); live_comms--; return OK; }
ncclResult_t ncclCommAbort(ncclComm_t c) { return ncclCommDestroy(c); }
ncclResult_t ncclCommGetAsyncError(ncclComm_t c, ncclResult_t *e) {
    if (!c || !e) return INVALID_ARGUMENT;
    if (c->pending > 0) { c->pending--; *e = IN_PROGRESS; return OK; }
    *e = OK; return OK;
}
ncclResult_t ncclCommFinalize(ncclComm_t c) { if (!c) return INVALID_ARGUMENT; if (c->blocking) return OK; c->pending = 1; return IN_PROGRESS; }
static ncclResult_t queued(ncclComm_t c) { if (c->blocking) return OK; c->pending = 1; return IN_PROGRESS; }
ncclResult_t ncclCommCount(ncclComm_t c, int *n) { if (!c || !n) return INVALID_ARGUMENT; *n = c->nranks; return OK; }
ncclResult_t ncclCommCuDevice(ncclComm_t c, int *d) { if (!c || !d) return INVALID_ARGUMENT; *d = c->device; return OK; }
ncclResult_t ncclCommUserRank(ncclComm_t c, int *r) { if (!c || !r) return INVALID_ARGUMENT; *r = c->rank; return OK; }

/* As if every rank held the same data: sum = nranks x value, average = value (float32 only); anything else is refused. */
ncclResult_t ncclAllReduce(const void *send, void *recv, size_t count, int datatype, int op, ncclComm_t comm, void *stream) {
    if (!send || !recv || !comm || !stream) return INVALID_ARGUMENT;
    if (datatype != 7 || (op != 0 && op != 4)) return INVALID_ARGUMENT;
    const float *s = (const float *)send; float *r = (float *)recv;
    for (size_t i = 0; i < count; i++) r[i] = op == 4 ? s[i] : s[i] * (float)comm->nranks;
    corrupt(r, count);
    return queued(comm);
}

/* As if this rank were the root: the receive buffer gets the send buffer (float32 only). */
ncclResult_t ncclBroadcast(const void *send, void *recv, size_t count, int datatype, int root, ncclComm_t comm, void *stream) {
    if (!send || !recv || !comm || !stream || datatype != 7 || root < 0 || root >= comm->nranks) return INVALID_ARGUMENT;
    memmove(recv, send, count * sizeof(float));
    corrupt((float *)recv, count);
    return queued(comm);
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
