/* Stand-in for libnvidia-ml.so.1: canned values, real nvml.h signatures. Not a GPU. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

typedef int nvmlReturn_t;
typedef struct nvmlDevice_st { int index; } *nvmlDevice_t;

typedef struct nvmlPciInfo_st {
    char busIdLegacy[16];
    unsigned int domain;
    unsigned int bus;
    unsigned int device;
    unsigned int pciDeviceId;
    unsigned int pciSubSystemId;
    char busId[32];
} nvmlPciInfo_t;

typedef struct nvmlMemory_st { unsigned long long total, free, used; } nvmlMemory_t;
typedef struct nvmlUtilization_st { unsigned int gpu, memory; } nvmlUtilization_t;

typedef union nvmlValue_st {
    double dVal; int siVal; unsigned int uiVal; unsigned long ulVal;
    unsigned long long ullVal; signed long long sllVal; unsigned short usVal;
} nvmlValue_t;

typedef struct nvmlFieldValue_st {
    unsigned int fieldId;
    unsigned int scopeId;
    long long timestamp;
    long long latencyUsec;
    int valueType;
    nvmlReturn_t nvmlReturn;
    nvmlValue_t value;
} nvmlFieldValue_t;

#define OK 0
#define ERR_UNINITIALIZED 1
#define ERR_INVALID_ARGUMENT 2
#define ERR_NOT_SUPPORTED 3
#define ERR_NO_PERMISSION 4
#define ERR_INSUFFICIENT_SIZE 7
#define ERR_DRIVER_NOT_LOADED 9
#define ERR_LIB_RM_VERSION_MISMATCH 18
#define ERR_ARGUMENT_VERSION_MISMATCH 25
#define COUNT 3

static struct nvmlDevice_st devices[COUNT] = {{0}, {1}, {2}};
static const unsigned int buses[COUNT] = {0x09, 0x0A, 0x41};
static int initialized = 0;
static int init_calls = 0;
static int shutdown_calls = 0;
static int forced_init_result = OK;
static unsigned int last_set_limit_mw = 0;

/* ---- test controls ---- */
int standin_nvml_init_calls(void) { return init_calls; }
int standin_nvml_shutdown_calls(void) { return shutdown_calls; }
int standin_nvml_initialized(void) { return initialized; }
void standin_nvml_force_init_result(int r) { forced_init_result = r; }
unsigned int standin_nvml_last_set_limit_mw(void) { return last_set_limit_mw; }
int standin_sizeof_pci_info(void) { return (int)sizeof(nvmlPciInfo_t); }
int standin_offsetof_pci_bus_id(void) { return (int)offsetof(nvmlPciInfo_t, busId); }
int standin_offsetof_pci_device_id(void) { return (int)offsetof(nvmlPciInfo_t, pciDeviceId); }
int standin_sizeof_field_value(void) { return (int)sizeof(nvmlFieldValue_t); }
int standin_offsetof_field_value_type(void) { return (int)offsetof(nvmlFieldValue_t, valueType); }
int standin_offsetof_field_return(void) { return (int)offsetof(nvmlFieldValue_t, nvmlReturn); }
int standin_offsetof_field_value(void) { return (int)offsetof(nvmlFieldValue_t, value); }
int standin_offsetof_field_timestamp(void) { return (int)offsetof(nvmlFieldValue_t, timestamp); }
int standin_sizeof_memory(void) { return (int)sizeof(nvmlMemory_t); }
int standin_sizeof_utilization(void) { return (int)sizeof(nvmlUtilization_t); }

static int index_of(nvmlDevice_t d) {
    for (int i = 0; i < COUNT; i++) if (d == &devices[i]) return i;
    return -1;
}
#define CHECK_DEVICE(d) int idx = index_of(d); if (!initialized) return ERR_UNINITIALIZED; if (idx < 0) return ERR_INVALID_ARGUMENT
#define CHECK_OUT(p) if ((p) == NULL) return ERR_INVALID_ARGUMENT

static nvmlReturn_t copy_string(char *dst, unsigned int length, const char *src) {
    if (dst == NULL) return ERR_INVALID_ARGUMENT;
    if (strlen(src) + 1 > length) return ERR_INSUFFICIENT_SIZE;
    strcpy(dst, src);
    return OK;
}

/* The code nvmlInit_v2 is forced to return: standin_nvml_force_init_result in this process, else
   STANDIN_NVML_INIT_RESULT (a number) for a test that runs the kit as a separate process. */
static nvmlReturn_t init_result(void) {
    if (forced_init_result != OK) return forced_init_result;
    const char *text = getenv("STANDIN_NVML_INIT_RESULT");
    return text != NULL ? (nvmlReturn_t)atoi(text) : OK;
}

nvmlReturn_t nvmlInit_v2(void) {
    init_calls++;
    nvmlReturn_t forced = init_result();
    if (forced != OK) return forced;
    initialized++;
    return OK;
}

nvmlReturn_t nvmlShutdown(void) {
    shutdown_calls++;
    if (!initialized) return ERR_UNINITIALIZED;
    initialized--;
    return OK;
}

const char *nvmlErrorString(nvmlReturn_t r) {
    switch (r) {
        case OK: return "Success";
        case ERR_UNINITIALIZED: return "Uninitialized";
        case ERR_INVALID_ARGUMENT: return "Invalid Argument";
        case ERR_NOT_SUPPORTED: return "Not Supported";
        case ERR_NO_PERMISSION: return "Insufficient Permissions";
        case ERR_INSUFFICIENT_SIZE: return "Insufficient Size";
        case ERR_DRIVER_NOT_LOADED: return "Driver Not Loaded";
        case ERR_LIB_RM_VERSION_MISMATCH: return "Driver/library version mismatch";
        case ERR_ARGUMENT_VERSION_MISMATCH: return "Argument version mismatch";
        default: return "Unknown Error";
    }
}

nvmlReturn_t nvmlSystemGetDriverVersion(char *v, unsigned int n) { return copy_string(v, n, "999.12.34"); }
nvmlReturn_t nvmlSystemGetNVMLVersion(char *v, unsigned int n) { return copy_string(v, n, "12.999.12.34"); }
nvmlReturn_t nvmlSystemGetCudaDriverVersion_v2(int *v) { CHECK_OUT(v); *v = 12020; return OK; }

nvmlReturn_t nvmlDeviceGetCount_v2(unsigned int *count) {
    if (!initialized) return ERR_UNINITIALIZED;
    CHECK_OUT(count); *count = COUNT; return OK;
}

nvmlReturn_t nvmlDeviceGetHandleByIndex_v2(unsigned int i, nvmlDevice_t *d) {
    if (!initialized) return ERR_UNINITIALIZED;
    CHECK_OUT(d);
    if (i >= COUNT) return ERR_INVALID_ARGUMENT;
    *d = &devices[i]; return OK;
}

nvmlReturn_t nvmlDeviceGetName(nvmlDevice_t d, char *name, unsigned int n) {
    CHECK_DEVICE(d);
    char text[32]; strcpy(text, "Stand-in GPU 0"); text[13] = (char)('0' + idx);
    return copy_string(name, n, text);
}

nvmlReturn_t nvmlDeviceGetUUID(nvmlDevice_t d, char *uuid, unsigned int n) {
    CHECK_DEVICE(d);
    char text[64]; strcpy(text, "GPU-00000000-0000-0000-0000-00000000000X"); text[39] = (char)('0' + idx);
    return copy_string(uuid, n, text);
}

nvmlReturn_t nvmlDeviceGetSerial(nvmlDevice_t d, char *s, unsigned int n) { CHECK_DEVICE(d); (void)s; (void)n; return ERR_NOT_SUPPORTED; }
nvmlReturn_t nvmlDeviceGetVbiosVersion(nvmlDevice_t d, char *s, unsigned int n) { CHECK_DEVICE(d); return copy_string(s, n, "94.02.42.00.A9"); }

nvmlReturn_t nvmlDeviceGetPciInfo_v3(nvmlDevice_t d, nvmlPciInfo_t *pci) {
    CHECK_DEVICE(d); CHECK_OUT(pci);
    memset(pci, 0, sizeof(*pci));
    pci->domain = 0; pci->bus = buses[idx]; pci->device = 0;
    pci->pciDeviceId = (0x2204u << 16) | 0x10DEu;
    pci->pciSubSystemId = 0x403B1458u;
    const char hex[] = "0123456789ABCDEF";
    strcpy(pci->busId, "00000000:00:00.0");
    pci->busId[9] = hex[(buses[idx] >> 4) & 0xF]; pci->busId[10] = hex[buses[idx] & 0xF];
    strcpy(pci->busIdLegacy, "0000:00:00.0");
    pci->busIdLegacy[5] = pci->busId[9]; pci->busIdLegacy[6] = pci->busId[10];
    return OK;
}

nvmlReturn_t nvmlDeviceGetMemoryInfo(nvmlDevice_t d, nvmlMemory_t *m) {
    CHECK_DEVICE(d); CHECK_OUT(m);
    m->total = 25769803776ULL; m->used = 1000000ULL + (unsigned long long)idx; m->free = m->total - m->used;
    return OK;
}

nvmlReturn_t nvmlDeviceGetCurrPcieLinkGeneration(nvmlDevice_t d, unsigned int *v) { CHECK_DEVICE(d); CHECK_OUT(v); *v = 1; return OK; }
nvmlReturn_t nvmlDeviceGetCurrPcieLinkWidth(nvmlDevice_t d, unsigned int *v) { CHECK_DEVICE(d); CHECK_OUT(v); *v = idx == 1 ? 8 : 16; return OK; }
nvmlReturn_t nvmlDeviceGetMaxPcieLinkGeneration(nvmlDevice_t d, unsigned int *v) { CHECK_DEVICE(d); CHECK_OUT(v); *v = 3; return OK; }
nvmlReturn_t nvmlDeviceGetMaxPcieLinkWidth(nvmlDevice_t d, unsigned int *v) { CHECK_DEVICE(d); CHECK_OUT(v); *v = 16; return OK; }
nvmlReturn_t nvmlDeviceGetPcieThroughput(nvmlDevice_t d, int counter, unsigned int *v) {
    CHECK_DEVICE(d); CHECK_OUT(v);
    if (counter != 0 && counter != 1) return ERR_INVALID_ARGUMENT;
    *v = counter == 0 ? 1000000u : 2000000u; return OK;
}

nvmlReturn_t nvmlDeviceGetTopologyCommonAncestor(nvmlDevice_t a, nvmlDevice_t b, int *level) {
    int ia = index_of(a), ib = index_of(b);
    if (!initialized) return ERR_UNINITIALIZED;
    if (ia < 0 || ib < 0 || level == NULL) return ERR_INVALID_ARGUMENT;
    if (ia == 2 || ib == 2) return ERR_NOT_SUPPORTED; /* forces the sysfs fallback for GPU 2 */
    *level = ia == ib ? 0 : 30; return OK;
}

nvmlReturn_t nvmlDeviceGetP2PStatus(nvmlDevice_t a, nvmlDevice_t b, int cap, int *status) {
    int ia = index_of(a), ib = index_of(b);
    if (!initialized) return ERR_UNINITIALIZED;
    if (ia < 0 || ib < 0 || status == NULL || cap < 0 || cap > 4) return ERR_INVALID_ARGUMENT;
    if (ia == 2 || ib == 2) { *status = 1; return OK; } /* chipset not supported */
    *status = cap == 2 ? 5 : (cap == 3 ? 5 : 0);        /* read/write OK, NVLink and atomics not supported */
    return OK;
}

nvmlReturn_t nvmlDeviceGetPowerUsage(nvmlDevice_t d, unsigned int *mw) { CHECK_DEVICE(d); CHECK_OUT(mw); *mw = 123456u + (unsigned)idx; return OK; }
nvmlReturn_t nvmlDeviceGetTotalEnergyConsumption(nvmlDevice_t d, unsigned long long *mj) { CHECK_DEVICE(d); CHECK_OUT(mj); *mj = 987654321ULL; return OK; }
nvmlReturn_t nvmlDeviceGetPowerManagementLimit(nvmlDevice_t d, unsigned int *mw) { CHECK_DEVICE(d); CHECK_OUT(mw); *mw = 285000u; return OK; }
nvmlReturn_t nvmlDeviceGetPowerManagementDefaultLimit(nvmlDevice_t d, unsigned int *mw) { CHECK_DEVICE(d); CHECK_OUT(mw); *mw = 350000u; return OK; }
nvmlReturn_t nvmlDeviceGetEnforcedPowerLimit(nvmlDevice_t d, unsigned int *mw) { CHECK_DEVICE(d); CHECK_OUT(mw); *mw = 284000u; return OK; }
nvmlReturn_t nvmlDeviceGetPowerManagementLimitConstraints(nvmlDevice_t d, unsigned int *mn, unsigned int *mx) {
    CHECK_DEVICE(d); CHECK_OUT(mn); CHECK_OUT(mx); *mn = 100000u; *mx = 400000u; return OK;
}
nvmlReturn_t nvmlDeviceSetPowerManagementLimit(nvmlDevice_t d, unsigned int mw) {
    CHECK_DEVICE(d);
    last_set_limit_mw = mw;
    return idx == 0 ? ERR_NO_PERMISSION : OK;
}

nvmlReturn_t nvmlDeviceGetTemperature(nvmlDevice_t d, int sensor, unsigned int *c) {
    CHECK_DEVICE(d); CHECK_OUT(c);
    if (sensor != 0) return ERR_INVALID_ARGUMENT;
    *c = 61u + (unsigned)idx; return OK;
}

nvmlReturn_t nvmlDeviceGetFieldValues(nvmlDevice_t d, int count, nvmlFieldValue_t *values) {
    CHECK_DEVICE(d);
    if (count < 0 || values == NULL) return ERR_INVALID_ARGUMENT;
    for (int i = 0; i < count; i++) {
        values[i].timestamp = 1700000000000000LL + i;
        values[i].latencyUsec = 5;
        if (values[i].fieldId == 82 && idx == 1) {
            values[i].nvmlReturn = OK; values[i].valueType = 1; values[i].value.uiVal = 84u;
        } else if (values[i].fieldId == 7777) {   /* a double-typed field, to check the union */
            values[i].nvmlReturn = OK; values[i].valueType = 0; values[i].value.dVal = 2.5;
        } else if (values[i].fieldId == 8888) {   /* a signed long long field */
            values[i].nvmlReturn = OK; values[i].valueType = 4; values[i].value.sllVal = -42;
        } else {
            values[i].nvmlReturn = ERR_NOT_SUPPORTED;
        }
    }
    return OK;
}

nvmlReturn_t nvmlDeviceGetFanSpeed(nvmlDevice_t d, unsigned int *v) { CHECK_DEVICE(d); CHECK_OUT(v); *v = 42u; return OK; }
nvmlReturn_t nvmlDeviceGetClockInfo(nvmlDevice_t d, int type, unsigned int *mhz) { CHECK_DEVICE(d); CHECK_OUT(mhz); *mhz = type == 2 ? 9751u : 1695u; return OK; }
nvmlReturn_t nvmlDeviceGetMaxClockInfo(nvmlDevice_t d, int type, unsigned int *mhz) { CHECK_DEVICE(d); CHECK_OUT(mhz); *mhz = type == 2 ? 9751u : 2100u; return OK; }
/* Only the older name is exported, to exercise the run-time fallback. */
nvmlReturn_t nvmlDeviceGetCurrentClocksThrottleReasons(nvmlDevice_t d, unsigned long long *r) { CHECK_DEVICE(d); CHECK_OUT(r); *r = 0x4ULL | 0x20ULL; return OK; }
nvmlReturn_t nvmlDeviceGetUtilizationRates(nvmlDevice_t d, nvmlUtilization_t *u) { CHECK_DEVICE(d); CHECK_OUT(u); u->gpu = 97u; u->memory = 55u; return OK; }
nvmlReturn_t nvmlDeviceGetPersistenceMode(nvmlDevice_t d, int *mode) { CHECK_DEVICE(d); CHECK_OUT(mode); *mode = idx == 0 ? 1 : 0; return OK; }
nvmlReturn_t nvmlDeviceGetArchitecture(nvmlDevice_t d, unsigned int *arch) { CHECK_DEVICE(d); CHECK_OUT(arch); *arch = 7u; return OK; }
