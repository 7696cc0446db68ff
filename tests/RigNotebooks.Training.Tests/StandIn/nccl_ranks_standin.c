/* Stand-in for libnccl.so.2 whose ranks are threads of one process and really meet: ranks that share a unique id form
   a group, and a collective completes when every rank of the group has issued it (the reduction is computed on the
   host from every rank's buffer, which here is host memory). Non-blocking communicators behave as NCCL's do: calls
   return ncclInProgress and ncclCommGetAsyncError says ncclInProgress until the work is done. Blocking ones wait
   (at most a few seconds, so a broken test cannot hang). Every call is logged; faults are injected per rank.
   Not NCCL, and no evidence about GPUs: it tests the kit's side of the calls. */
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef int ncclResult_t;
typedef struct { char internal[128]; } ncclUniqueId;
typedef struct { size_t size; unsigned int magic; unsigned int version; int blocking; } ncclConfig_v21400;

#define OK 0
#define UNHANDLED_CUDA 1
#define SYSTEM_ERROR 2
#define INTERNAL_ERROR 3
#define INVALID_ARGUMENT 4
#define INVALID_USAGE 5
#define REMOTE_ERROR 6
#define IN_PROGRESS 7
#define MAX_RANKS 8
#define MAX_GROUPS 256

enum { KIND_ALLREDUCE = 1, KIND_BROADCAST = 2 };

typedef struct op_slot {
    long seq; int arrived; int done; int kind; size_t count; int datatype; int arg;
    const void *send[MAX_RANKS]; void *recv[MAX_RANKS];
} op_slot;

typedef struct group {
    int used; unsigned int id; int nranks; int joined;
    op_slot slots[2];
} group;

typedef struct ncclComm {
    int rank; int nranks; int blocking; int aborted;
    group *g; long issued; long outstanding; /* -1: nothing outstanding */
    int init_pending; int finalize_pending;
} *ncclComm_t;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t changed = PTHREAD_COND_INITIALIZER;
static group groups[MAX_GROUPS];
static unsigned int next_id = 1;
static int version = 22105;
static int live_comms = 0, aborts = 0, destroys = 0, finalizes = 0;
static char log_text[65536];
/* faults, per rank: the next collective returns this code / the async state becomes this code after the next
   collective / the next collective never completes / init never completes */
static int fail_next[MAX_RANKS], async_after_next[MAX_RANKS], stall_next[MAX_RANKS];
static int async_error[MAX_RANKS], stalled[MAX_RANKS];

static void logf_locked(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void logf_locked(const char *fmt, ...) {
    char line[256]; va_list ap; va_start(ap, fmt); vsnprintf(line, sizeof line, fmt, ap); va_end(ap);
    size_t used = strlen(log_text);
    if (used + strlen(line) + 2 < sizeof log_text) { strcat(log_text, line); strcat(log_text, ";"); }
}

/* ---- test controls ---- */
void standin_reset(void) {
    pthread_mutex_lock(&lock);
    log_text[0] = 0;
    memset(fail_next, 0, sizeof fail_next); memset(async_after_next, 0, sizeof async_after_next);
    memset(stall_next, 0, sizeof stall_next); memset(async_error, 0, sizeof async_error); memset(stalled, 0, sizeof stalled);
    version = 22105;
    pthread_mutex_unlock(&lock);
}
const char *standin_log(void) { return log_text; }
void standin_set_version(int v) { version = v; }
void standin_fail_next(int rank, int code) { pthread_mutex_lock(&lock); fail_next[rank] = code; pthread_mutex_unlock(&lock); }
void standin_async_error_after_next(int rank, int code) { pthread_mutex_lock(&lock); async_after_next[rank] = code; pthread_mutex_unlock(&lock); }
void standin_stall_next(int rank) { pthread_mutex_lock(&lock); stall_next[rank] = 1; pthread_mutex_unlock(&lock); }
int standin_live_comms(void) { return live_comms; }
int standin_aborts(void) { return aborts; }
int standin_destroys(void) { return destroys; }
int standin_finalizes(void) { return finalizes; }

/* ---- helpers ---- */
static float bf16_to_float(uint16_t b) { uint32_t u = (uint32_t)b << 16; float f; memcpy(&f, &u, 4); return f; }
static uint16_t float_to_bf16(float f) {
    uint32_t u; memcpy(&u, &f, 4);
    u += 0x7FFF + ((u >> 16) & 1); /* round to nearest even */
    return (uint16_t)(u >> 16);
}

static void compute(op_slot *s, int nranks) {
    for (size_t i = 0; i < s->count; i++) {
        if (s->kind == KIND_BROADCAST) {
            if (s->datatype == 7) { float v = ((const float *)s->send[s->arg])[i]; for (int r = 0; r < nranks; r++) ((float *)s->recv[r])[i] = v; }
            else { uint16_t v = ((const uint16_t *)s->send[s->arg])[i]; for (int r = 0; r < nranks; r++) ((uint16_t *)s->recv[r])[i] = v; }
            continue;
        }
        float sum = 0;
        for (int r = 0; r < nranks; r++)
            sum += s->datatype == 7 ? ((const float *)s->send[r])[i] : bf16_to_float(((const uint16_t *)s->send[r])[i]);
        if (s->arg == 4) sum /= (float)nranks;
        for (int r = 0; r < nranks; r++) {
            if (s->datatype == 7) ((float *)s->recv[r])[i] = sum; else ((uint16_t *)s->recv[r])[i] = float_to_bf16(sum);
        }
    }
    s->done = 1;
}

static int wait_locked(int (*ready)(ncclComm_t), ncclComm_t c) {
    struct timespec until; clock_gettime(CLOCK_REALTIME, &until); until.tv_sec += 5;
    while (!ready(c)) if (pthread_cond_timedwait(&changed, &lock, &until) != 0) return 0;
    return 1;
}
static int all_joined(ncclComm_t c) { return c->g->joined >= c->nranks; }
static int op_done(ncclComm_t c) { return c->g->slots[c->outstanding & 1].seq == c->outstanding && c->g->slots[c->outstanding & 1].done; }

/* ---- NCCL API ---- */
ncclResult_t ncclGetVersion(int *v) { if (!v) return INVALID_ARGUMENT; *v = version; return OK; }

ncclResult_t ncclGetUniqueId(ncclUniqueId *id) {
    if (!id) return INVALID_ARGUMENT;
    pthread_mutex_lock(&lock);
    unsigned int n = next_id++;
    memset(id, 0, sizeof *id); memcpy(id->internal, "RIGS", 4); memcpy(id->internal + 4, &n, 4);
    for (int i = 8; i < 128; i++) id->internal[i] = (char)(i * 7 + 3);
    pthread_mutex_unlock(&lock);
    return OK;
}

static ncclResult_t init(ncclComm_t *comm, int nranks, ncclUniqueId id, int rank, int blocking) {
    if (!comm || nranks <= 0 || nranks > MAX_RANKS || rank < 0 || rank >= nranks) return INVALID_ARGUMENT;
    if (memcmp(id.internal, "RIGS", 4) != 0) return INVALID_ARGUMENT;
    unsigned int n; memcpy(&n, id.internal + 4, 4);
    if (n == 0 || n >= MAX_GROUPS) return INVALID_ARGUMENT;
    pthread_mutex_lock(&lock);
    group *g = &groups[n];
    if (!g->used) { memset(g, 0, sizeof *g); g->used = 1; g->id = n; g->nranks = nranks; g->slots[0].seq = g->slots[1].seq = -1; }
    if (g->nranks != nranks) { pthread_mutex_unlock(&lock); return INVALID_ARGUMENT; }
    ncclComm_t c = (ncclComm_t)calloc(1, sizeof(struct ncclComm));
    c->rank = rank; c->nranks = nranks; c->blocking = blocking; c->g = g; c->outstanding = -1;
    g->joined++; live_comms++;
    logf_locked("init(rank=%d,nranks=%d,blocking=%d)", rank, nranks, blocking);
    pthread_cond_broadcast(&changed);
    *comm = c;
    if (blocking) {
        int ok = wait_locked(all_joined, c);
        pthread_mutex_unlock(&lock);
        return ok ? OK : SYSTEM_ERROR;
    }
    c->init_pending = 1;
    pthread_mutex_unlock(&lock);
    return IN_PROGRESS;
}

ncclResult_t ncclCommInitRank(ncclComm_t *comm, int nranks, ncclUniqueId id, int rank) { return init(comm, nranks, id, rank, 1); }

ncclResult_t ncclCommInitRankConfig(ncclComm_t *comm, int nranks, ncclUniqueId id, int rank, ncclConfig_v21400 *config) {
    if (!config || config->size < sizeof(ncclConfig_v21400) || config->magic != 0xcafebeef || config->version < 21400) return INVALID_ARGUMENT;
    if (config->blocking != 0 && config->blocking != 1) return INVALID_ARGUMENT;
    return init(comm, nranks, id, rank, config->blocking);
}

ncclResult_t ncclCommGetAsyncError(ncclComm_t c, ncclResult_t *e) {
    if (!c || !e) return INVALID_ARGUMENT;
    pthread_mutex_lock(&lock);
    if (c->aborted) { pthread_mutex_unlock(&lock); return INVALID_USAGE; }
    if (async_error[c->rank]) *e = async_error[c->rank];
    else if (c->init_pending) { if (all_joined(c)) { c->init_pending = 0; *e = OK; } else *e = IN_PROGRESS; }
    else if (c->finalize_pending) { c->finalize_pending = 0; *e = IN_PROGRESS; }
    else if (c->outstanding >= 0 && (stalled[c->rank] || !op_done(c))) *e = IN_PROGRESS;
    else { c->outstanding = -1; *e = OK; }
    pthread_mutex_unlock(&lock);
    return OK;
}

static ncclResult_t collective(int kind, const void *send, void *recv, size_t count, int datatype, int arg, ncclComm_t c, void *stream) {
    if (!send || !recv || !c || !stream) return INVALID_ARGUMENT;
    if (datatype != 7 && datatype != 9) return INVALID_ARGUMENT;
    if (kind == KIND_ALLREDUCE && arg != 0 && arg != 4) return INVALID_ARGUMENT;
    if (kind == KIND_BROADCAST && (arg < 0 || arg >= c->nranks)) return INVALID_ARGUMENT;
    if (kind == KIND_ALLREDUCE && arg == 4 && version < 21000) return INVALID_ARGUMENT;
    pthread_mutex_lock(&lock);
    logf_locked("%s(rank=%d,count=%zu,datatype=%d,%s=%d,inplace=%d)", kind == KIND_ALLREDUCE ? "allreduce" : "broadcast",
                c->rank, count, datatype, kind == KIND_ALLREDUCE ? "op" : "root", arg, send == recv);
    if (c->aborted || c->init_pending || c->outstanding >= 0) { pthread_mutex_unlock(&lock); return INVALID_USAGE; }
    if (fail_next[c->rank]) { int code = fail_next[c->rank]; fail_next[c->rank] = 0; pthread_mutex_unlock(&lock); return code; }
    if (async_after_next[c->rank]) { async_error[c->rank] = async_after_next[c->rank]; async_after_next[c->rank] = 0; }
    if (stall_next[c->rank]) { stalled[c->rank] = 1; stall_next[c->rank] = 0; }
    long seq = c->issued++;
    op_slot *s = &c->g->slots[seq & 1];
    if (s->seq != seq) { memset(s, 0, sizeof *s); s->seq = seq; s->kind = kind; s->count = count; s->datatype = datatype; s->arg = arg; }
    if (s->kind != kind || s->count != count || s->datatype != datatype || s->arg != arg) {
        logf_locked("mismatch(rank=%d)", c->rank);
        pthread_mutex_unlock(&lock); return INVALID_USAGE;
    }
    s->send[c->rank] = send; s->recv[c->rank] = recv;
    c->outstanding = seq;
    if (++s->arrived == c->nranks) { compute(s, c->nranks); pthread_cond_broadcast(&changed); }
    if (c->blocking) {
        int ok = wait_locked(op_done, c);
        if (ok) c->outstanding = -1;
        pthread_mutex_unlock(&lock);
        return ok ? OK : SYSTEM_ERROR;
    }
    pthread_mutex_unlock(&lock);
    return IN_PROGRESS;
}

ncclResult_t ncclAllReduce(const void *send, void *recv, size_t count, int datatype, int op, ncclComm_t comm, void *stream) {
    return collective(KIND_ALLREDUCE, send, recv, count, datatype, op, comm, stream);
}

ncclResult_t ncclBroadcast(const void *send, void *recv, size_t count, int datatype, int root, ncclComm_t comm, void *stream) {
    return collective(KIND_BROADCAST, send, recv, count, datatype, root, comm, stream);
}

ncclResult_t ncclCommFinalize(ncclComm_t c) {
    if (!c) return INVALID_ARGUMENT;
    pthread_mutex_lock(&lock);
    finalizes++; logf_locked("finalize(rank=%d)", c->rank);
    if (!c->blocking) c->finalize_pending = 1;
    int blocking = c->blocking;
    pthread_mutex_unlock(&lock);
    return blocking ? OK : IN_PROGRESS;
}

static ncclResult_t release(ncclComm_t c, const char *what) {
    if (!c) return INVALID_ARGUMENT;
    pthread_mutex_lock(&lock);
    logf_locked("%s(rank=%d)", what, c->rank);
    if (what[0] == 'a') aborts++; else destroys++;
    live_comms--; c->aborted = 1;
    pthread_mutex_unlock(&lock);
    free(c);
    return OK;
}
ncclResult_t ncclCommDestroy(ncclComm_t c) { return release(c, "destroy"); }
ncclResult_t ncclCommAbort(ncclComm_t c) { return release(c, "abort"); }

ncclResult_t ncclCommCount(ncclComm_t c, int *n) { if (!c || !n) return INVALID_ARGUMENT; *n = c->nranks; return OK; }
ncclResult_t ncclCommCuDevice(ncclComm_t c, int *d) { if (!c || !d) return INVALID_ARGUMENT; *d = c->rank; return OK; }
ncclResult_t ncclCommUserRank(ncclComm_t c, int *r) { if (!c || !r) return INVALID_ARGUMENT; *r = c->rank; return OK; }
ncclResult_t ncclGroupStart(void) { return OK; }
ncclResult_t ncclGroupEnd(void) { return OK; }

const char *ncclGetErrorString(ncclResult_t r) {
    switch (r) {
        case OK: return "no error";
        case UNHANDLED_CUDA: return "unhandled cuda error (run with NCCL_DEBUG=INFO for details)";
        case SYSTEM_ERROR: return "unhandled system error (run with NCCL_DEBUG=INFO for details)";
        case INTERNAL_ERROR: return "internal error - please report this issue to the NCCL developers";
        case INVALID_ARGUMENT: return "invalid argument (run with NCCL_DEBUG=WARN for details)";
        case INVALID_USAGE: return "invalid usage (run with NCCL_DEBUG=WARN for details)";
        case REMOTE_ERROR: return "remote process exited or there was a network error";
        case IN_PROGRESS: return "NCCL operation in progress";
        default: return "unknown result code";
    }
}
