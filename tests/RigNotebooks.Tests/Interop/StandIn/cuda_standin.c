/* Stand-in for libcuda.so.1: "device memory" is host memory from malloc, so copies move real bytes. Not a GPU. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef int CUresult;
typedef int CUdevice;
typedef unsigned long long CUdeviceptr;
typedef struct ctx_st { int device; int primary; } *CUcontext;
typedef struct stream_st { int id; } *CUstream;
typedef struct event_st { int recorded; } *CUevent;
typedef struct module_st { int id; } *CUmodule;
typedef struct function_st { int kind; } *CUfunction;

#define SUCCESS 0
#define INVALID_VALUE 1
#define OUT_OF_MEMORY 2
#define NOT_INITIALIZED 3
#define INVALID_DEVICE 101
#define INVALID_CONTEXT 201
#define INVALID_PTX 218
#define NOT_FOUND 500
#define NOT_READY 600
#define PEER_ALREADY 704
#define PEER_NOT_ENABLED 705
#define SYSTEM_DRIVER_MISMATCH 803
#define COUNT 2

static int initialized = 0;
static struct ctx_st primaries[COUNT] = {{0, 1}, {1, 1}};
static int primary_refs[COUNT] = {0, 0};
static CUcontext current = NULL;
static int live_allocations = 0;
static int live_pinned = 0;
static int live_streams = 0;
static int live_events = 0;
static int live_modules = 0;
static int live_created_contexts = 0;
static int peer_enabled[COUNT][COUNT];
static char order_log[256];
static struct function_st fill_kernel = {1};
/* The bandwidth timer's spin kernel (rig_spin_wait): accepted and returns at once, as if the host had released it. */
static struct function_st spin_kernel = {2};

static void log_event(const char *what) {
    if (strlen(order_log) + strlen(what) + 2 < sizeof(order_log)) { strcat(order_log, what); strcat(order_log, ";"); }
}

/* ---- test controls ---- */
int standin_cuda_primary_refs(int d) { return d >= 0 && d < COUNT ? primary_refs[d] : -1; }
int standin_cuda_live_allocations(void) { return live_allocations; }
int standin_cuda_live_pinned(void) { return live_pinned; }
int standin_cuda_live_streams(void) { return live_streams; }
int standin_cuda_live_events(void) { return live_events; }
int standin_cuda_live_modules(void) { return live_modules; }
int standin_cuda_live_created_contexts(void) { return live_created_contexts; }
const char *standin_cuda_order_log(void) { return order_log; }
void standin_cuda_clear_log(void) { order_log[0] = 0; }

/* STANDIN_CUDA_INIT_RESULT (a number): the code cuInit returns, for a test that runs the kit as a separate process. */
CUresult cuInit(unsigned int flags) {
    if (flags != 0) return INVALID_VALUE;
    const char *forced = getenv("STANDIN_CUDA_INIT_RESULT");
    if (forced != NULL && atoi(forced) != SUCCESS) return (CUresult)atoi(forced);
    initialized = 1;
    return SUCCESS;
}
CUresult cuDriverGetVersion(int *v) { if (!v) return INVALID_VALUE; *v = 12020; return SUCCESS; }

CUresult cuGetErrorName(CUresult e, const char **s) {
    if (!s) return INVALID_VALUE;
    switch (e) {
        case SUCCESS: *s = "CUDA_SUCCESS"; return SUCCESS;
        case INVALID_VALUE: *s = "CUDA_ERROR_INVALID_VALUE"; return SUCCESS;
        case OUT_OF_MEMORY: *s = "CUDA_ERROR_OUT_OF_MEMORY"; return SUCCESS;
        case INVALID_PTX: *s = "CUDA_ERROR_INVALID_PTX"; return SUCCESS;
        case NOT_FOUND: *s = "CUDA_ERROR_NOT_FOUND"; return SUCCESS;
        case NOT_READY: *s = "CUDA_ERROR_NOT_READY"; return SUCCESS;
        case 217: *s = "CUDA_ERROR_PEER_ACCESS_UNSUPPORTED"; return SUCCESS;
        case SYSTEM_DRIVER_MISMATCH: *s = "CUDA_ERROR_SYSTEM_DRIVER_MISMATCH"; return SUCCESS;
        default: *s = NULL; return INVALID_VALUE;
    }
}

CUresult cuGetErrorString(CUresult e, const char **s) {
    if (!s) return INVALID_VALUE;
    switch (e) {
        case OUT_OF_MEMORY: *s = "out of memory"; return SUCCESS;
        case INVALID_PTX: *s = "a PTX JIT compilation failed"; return SUCCESS;
        case NOT_FOUND: *s = "named symbol not found"; return SUCCESS;
        case 217: *s = "peer access is not supported between these two devices"; return SUCCESS;
        case SYSTEM_DRIVER_MISMATCH: *s = "system has unsupported display driver / cuda driver combination"; return SUCCESS;
        default: *s = NULL; return INVALID_VALUE;
    }
}

#define NEED_INIT if (!initialized) return NOT_INITIALIZED
CUresult cuDeviceGetCount(int *c) { NEED_INIT; if (!c) return INVALID_VALUE; *c = COUNT; return SUCCESS; }
CUresult cuDeviceGet(CUdevice *d, int ordinal) { NEED_INIT; if (!d) return INVALID_VALUE; if (ordinal < 0 || ordinal >= COUNT) return INVALID_DEVICE; *d = ordinal; return SUCCESS; }

CUresult cuDeviceGetName(char *name, int len, CUdevice d) {
    NEED_INIT; if (d < 0 || d >= COUNT) return INVALID_DEVICE;
    if (!name || len < 20) return INVALID_VALUE;
    strcpy(name, "Stand-in CUDA 0"); name[14] = (char)('0' + d);
    return SUCCESS;
}

CUresult cuDeviceGetAttribute(int *v, int attr, CUdevice d) {
    NEED_INIT; if (d < 0 || d >= COUNT) return INVALID_DEVICE; if (!v) return INVALID_VALUE;
    switch (attr) {
        case 16: *v = 82; return SUCCESS;              /* multiprocessors */
        case 75: *v = 8; return SUCCESS;               /* compute capability major */
        case 76: *v = 6; return SUCCESS;               /* minor */
        case 40: *v = 2; return SUCCESS;               /* async engines */
        case 33: *v = d == 0 ? 0x0A : 0x09; return SUCCESS; /* PCI bus: CUDA order differs from PCI order */
        default: return INVALID_VALUE;
    }
}

CUresult cuDeviceTotalMem_v2(size_t *bytes, CUdevice d) { NEED_INIT; if (d < 0 || d >= COUNT) return INVALID_DEVICE; if (!bytes) return INVALID_VALUE; *bytes = 25447170048ULL; return SUCCESS; }

CUresult cuDeviceGetPCIBusId(char *id, int len, CUdevice d) {
    NEED_INIT; if (d < 0 || d >= COUNT) return INVALID_DEVICE;
    if (!id || len < 13) return INVALID_VALUE;
    strcpy(id, d == 0 ? "0000:0A:00.0" : "0000:09:00.0");
    return SUCCESS;
}

CUresult cuDeviceCanAccessPeer(int *can, CUdevice d, CUdevice p) {
    NEED_INIT; if (!can) return INVALID_VALUE;
    if (d < 0 || d >= COUNT || p < 0 || p >= COUNT) return INVALID_DEVICE;
    *can = d != p; return SUCCESS;
}

CUresult cuDevicePrimaryCtxRetain(CUcontext *c, CUdevice d) {
    NEED_INIT; if (!c) return INVALID_VALUE; if (d < 0 || d >= COUNT) return INVALID_DEVICE;
    primary_refs[d]++; *c = &primaries[d]; return SUCCESS;
}

CUresult cuDevicePrimaryCtxRelease_v2(CUdevice d) {
    if (d < 0 || d >= COUNT) return INVALID_DEVICE;
    if (primary_refs[d] <= 0) return INVALID_CONTEXT;
    primary_refs[d]--; log_event("release-primary"); return SUCCESS;
}

CUresult cuCtxCreate_v2(CUcontext *c, unsigned int flags, CUdevice d) {
    NEED_INIT; (void)flags; if (!c) return INVALID_VALUE; if (d < 0 || d >= COUNT) return INVALID_DEVICE;
    CUcontext ctx = (CUcontext)malloc(sizeof(struct ctx_st)); ctx->device = d; ctx->primary = 0;
    live_created_contexts++; *c = ctx; current = ctx; return SUCCESS;
}

CUresult cuCtxDestroy_v2(CUcontext c) {
    if (!c || c->primary) return INVALID_CONTEXT;
    if (current == c) current = NULL;
    free(c); live_created_contexts--; log_event("destroy-context"); return SUCCESS;
}

CUresult cuCtxSetCurrent(CUcontext c) { current = c; return SUCCESS; }
CUresult cuCtxGetCurrent(CUcontext *c) { if (!c) return INVALID_VALUE; *c = current; return SUCCESS; }
CUresult cuCtxSynchronize(void) { return current ? SUCCESS : INVALID_CONTEXT; }

CUresult cuCtxEnablePeerAccess(CUcontext peer, unsigned int flags) {
    if (!current || !peer || flags != 0) return current ? INVALID_VALUE : INVALID_CONTEXT;
    if (current->device == peer->device) return 217;
    if (peer_enabled[current->device][peer->device]) return PEER_ALREADY;
    peer_enabled[current->device][peer->device] = 1; return SUCCESS;
}

CUresult cuCtxDisablePeerAccess(CUcontext peer) {
    if (!current || !peer) return INVALID_CONTEXT;
    if (!peer_enabled[current->device][peer->device]) return PEER_NOT_ENABLED;
    peer_enabled[current->device][peer->device] = 0; return SUCCESS;
}

CUresult cuMemGetInfo_v2(size_t *free_bytes, size_t *total) {
    if (!current) return INVALID_CONTEXT; if (!free_bytes || !total) return INVALID_VALUE;
    *free_bytes = 24000000000ULL; *total = 25447170048ULL; return SUCCESS;
}

CUresult cuMemAlloc_v2(CUdeviceptr *p, size_t bytes) {
    if (!current) return INVALID_CONTEXT; if (!p || bytes == 0) return INVALID_VALUE;
    if (bytes > (1ULL << 40)) return OUT_OF_MEMORY;
    void *mem = malloc(bytes); if (!mem) return OUT_OF_MEMORY;
    live_allocations++; *p = (CUdeviceptr)(uintptr_t)mem; return SUCCESS;
}

CUresult cuMemFree_v2(CUdeviceptr p) {
    if (!current) return INVALID_CONTEXT;
    if (!p) return INVALID_VALUE;
    free((void *)(uintptr_t)p); live_allocations--; log_event("free-device"); return SUCCESS;
}

CUresult cuMemHostAlloc(void **p, size_t bytes, unsigned int flags) {
    if (!current) return INVALID_CONTEXT; if (!p || bytes == 0 || flags > 7) return INVALID_VALUE;
    *p = malloc(bytes); if (!*p) return OUT_OF_MEMORY; live_pinned++; return SUCCESS;
}

CUresult cuMemFreeHost(void *p) { if (!p) return INVALID_VALUE; free(p); live_pinned--; log_event("free-pinned"); return SUCCESS; }

#define PTR(x) ((void *)(uintptr_t)(x))
CUresult cuMemsetD8_v2(CUdeviceptr d, unsigned char v, size_t n) { if (!current) return INVALID_CONTEXT; memset(PTR(d), v, n); return SUCCESS; }
CUresult cuMemsetD32_v2(CUdeviceptr d, unsigned int v, size_t n) { if (!current) return INVALID_CONTEXT; unsigned int *p = PTR(d); for (size_t i = 0; i < n; i++) p[i] = v; return SUCCESS; }
CUresult cuMemsetD8Async(CUdeviceptr d, unsigned char v, size_t n, CUstream s) { (void)s; return cuMemsetD8_v2(d, v, n); }
CUresult cuMemcpyHtoD_v2(CUdeviceptr d, const void *s, size_t n) { if (!current) return INVALID_CONTEXT; memcpy(PTR(d), s, n); return SUCCESS; }
CUresult cuMemcpyDtoH_v2(void *d, CUdeviceptr s, size_t n) { if (!current) return INVALID_CONTEXT; memcpy(d, PTR(s), n); return SUCCESS; }
CUresult cuMemcpyDtoD_v2(CUdeviceptr d, CUdeviceptr s, size_t n) { if (!current) return INVALID_CONTEXT; memmove(PTR(d), PTR(s), n); return SUCCESS; }
CUresult cuMemcpyHtoDAsync_v2(CUdeviceptr d, const void *s, size_t n, CUstream st) { if (!st) return INVALID_VALUE; return cuMemcpyHtoD_v2(d, s, n); }
CUresult cuMemcpyDtoHAsync_v2(void *d, CUdeviceptr s, size_t n, CUstream st) { if (!st) return INVALID_VALUE; return cuMemcpyDtoH_v2(d, s, n); }
CUresult cuMemcpyDtoDAsync_v2(CUdeviceptr d, CUdeviceptr s, size_t n, CUstream st) { if (!st) return INVALID_VALUE; return cuMemcpyDtoD_v2(d, s, n); }

CUresult cuMemcpyPeer(CUdeviceptr d, CUcontext dc, CUdeviceptr s, CUcontext sc, size_t n) {
    if (!dc || !sc) return INVALID_CONTEXT; memcpy(PTR(d), PTR(s), n); return SUCCESS;
}
CUresult cuMemcpyPeerAsync(CUdeviceptr d, CUcontext dc, CUdeviceptr s, CUcontext sc, size_t n, CUstream st) {
    if (!st) return INVALID_VALUE; return cuMemcpyPeer(d, dc, s, sc, n);
}

CUresult cuStreamCreate(CUstream *s, unsigned int flags) {
    if (!current) return INVALID_CONTEXT; if (!s || flags > 1) return INVALID_VALUE;
    *s = (CUstream)malloc(sizeof(struct stream_st)); live_streams++; return SUCCESS;
}
CUresult cuStreamDestroy_v2(CUstream s) { if (!s) return INVALID_VALUE; free(s); live_streams--; log_event("destroy-stream"); return SUCCESS; }
CUresult cuStreamSynchronize(CUstream s) { return s ? SUCCESS : INVALID_VALUE; }
CUresult cuStreamQuery(CUstream s) { return s ? SUCCESS : INVALID_VALUE; }
CUresult cuStreamWaitEvent(CUstream s, CUevent e, unsigned int flags) { return s && e && flags == 0 ? SUCCESS : INVALID_VALUE; }

CUresult cuEventCreate(CUevent *e, unsigned int flags) {
    if (!current) return INVALID_CONTEXT; if (!e || flags > 3) return INVALID_VALUE;
    *e = (CUevent)calloc(1, sizeof(struct event_st)); live_events++; return SUCCESS;
}
CUresult cuEventDestroy_v2(CUevent e) { if (!e) return INVALID_VALUE; free(e); live_events--; log_event("destroy-event"); return SUCCESS; }
CUresult cuEventRecord(CUevent e, CUstream s) { (void)s; if (!e) return INVALID_VALUE; e->recorded = 1; return SUCCESS; }
CUresult cuEventSynchronize(CUevent e) { return e ? SUCCESS : INVALID_VALUE; }
/* An event that was never recorded answers "not ready", to exercise that mapping. */
CUresult cuEventQuery(CUevent e) { if (!e) return INVALID_VALUE; return e->recorded ? SUCCESS : NOT_READY; }
CUresult cuEventElapsedTime(float *ms, CUevent a, CUevent b) {
    if (!ms || !a || !b) return INVALID_VALUE;
    if (!a->recorded || !b->recorded) return NOT_READY;
    *ms = 1.25f; return SUCCESS;
}

CUresult cuModuleLoadData(CUmodule *m, const void *image) {
    if (!current) return INVALID_CONTEXT; if (!m || !image) return INVALID_VALUE;
    if (strstr((const char *)image, ".entry") == NULL) return INVALID_PTX;
    *m = (CUmodule)malloc(sizeof(struct module_st)); live_modules++; return SUCCESS;
}
CUresult cuModuleUnload(CUmodule m) { if (!m) return INVALID_VALUE; free(m); live_modules--; log_event("unload-module"); return SUCCESS; }
CUresult cuModuleGetFunction(CUfunction *f, CUmodule m, const char *name) {
    if (!f || !m || !name) return INVALID_VALUE;
    if (strcmp(name, "rig_spin_wait") == 0) { *f = &spin_kernel; return SUCCESS; }
    if (strcmp(name, "fill_u32") != 0) return NOT_FOUND;
    *f = &fill_kernel; return SUCCESS;
}

/* "Runs" fill_u32(unsigned int *dst, unsigned int value, unsigned long long count) on the host, so a test can see
   that the parameter array reached the driver intact; grid x block must cover count. */
CUresult cuLaunchKernel(CUfunction f, unsigned int gx, unsigned int gy, unsigned int gz, unsigned int bx, unsigned int by, unsigned int bz,
                        unsigned int shared, CUstream s, void **params, void **extra) {
    if (f == &spin_kernel) return s && params && extra == NULL && gx == 1 && bx == 1 ? SUCCESS : INVALID_VALUE;
    if (f != &fill_kernel || !s || !params || extra != NULL || shared != 0) return INVALID_VALUE;
    if (gy != 1 || gz != 1 || by != 1 || bz != 1) return INVALID_VALUE;
    unsigned int *dst = (unsigned int *)(uintptr_t)(*(CUdeviceptr *)params[0]);
    unsigned int value = *(unsigned int *)params[1];
    unsigned long long count = *(unsigned long long *)params[2];
    if ((unsigned long long)gx * bx < count) return INVALID_VALUE;
    for (unsigned long long i = 0; i < count; i++) dst[i] = value;
    return SUCCESS;
}
