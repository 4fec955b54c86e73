// whisper-cpp-runner: transcribes audio sent on standard input with the prebuilt libwhisper 1.8.5 from the
// pywhispercpp 1.5.1 wheel, so `tutor bench asr --peer` and `tutor eval asr --peer` measure whisper.cpp on the same
// clips, weights and thread count as our recognizer. Built by Scripts/peers/build-whisper-cpp.
//
//   whisper-cpp-runner MODEL.bin THREADS
//
// Requests on standard input, one after another:
//   a text line "AUDIO_CTX MAX_TOKENS LANGUAGE SAMPLES\n", then SAMPLES little-endian f32 (16 kHz mono).
//   AUDIO_CTX: encoder positions to run (whisper.cpp's `audio_ctx`; 0 = its default 30-second window).
//   MAX_TOKENS: the most text tokens to decode (whisper.cpp's `max_tokens`; 0 = up to half the text context).
// One JSON line per request on standard output:
//   {"ms": ..., "encode_ms": ..., "text": "..."}
// `ms` is the wall-clock time of whisper_full alone (mel, encoder, decoder; the model is loaded once before).
//
// The wheel ships no header: the few declarations below follow whisper.h of 1.8.5. The struct layouts are checked
// at start against the library's documented defaults, so a different libwhisper is refused instead of misread.
// Decoding matches `tutor transcribe`'s defaults: greedy, no timestamps, no temperature fallback, non-speech
// tokens suppressed, the language given.
#include <dlfcn.h>
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct whisper_context;

struct whisper_aheads {
    size_t n_heads;
    const void *heads;
};

struct whisper_context_params {
    bool use_gpu;
    bool flash_attn;
    int gpu_device;
    bool dtw_token_timestamps;
    int dtw_aheads_preset;
    int dtw_n_top;
    struct whisper_aheads dtw_aheads;
    size_t dtw_mem_size;
};

struct whisper_vad_params {
    float threshold;
    int min_speech_duration_ms;
    int min_silence_duration_ms;
    float max_speech_duration_s;
    int speech_pad_ms;
    float samples_overlap;
};

struct whisper_full_params {
    int strategy;  // 0 greedy
    int n_threads;
    int n_max_text_ctx;
    int offset_ms;
    int duration_ms;
    bool translate, no_context, no_timestamps, single_segment;
    bool print_special, print_progress, print_realtime, print_timestamps;
    bool token_timestamps;
    float thold_pt, thold_ptsum;
    int max_len;
    bool split_on_word;
    int max_tokens;
    bool debug_mode;
    int audio_ctx;
    bool tdrz_enable;
    const char *suppress_regex;
    const char *initial_prompt;
    bool carry_initial_prompt;
    const int32_t *prompt_tokens;
    int prompt_n_tokens;
    const char *language;
    bool detect_language;
    bool suppress_blank, suppress_nst;
    float temperature, max_initial_ts, length_penalty;
    float temperature_inc, entropy_thold, logprob_thold, no_speech_thold;
    struct { int best_of; } greedy;
    struct { int beam_size; float patience; } beam_search;
    void *callbacks[10];  // new segment, progress, encoder begin, abort, logits filter: function and user data each
    const void **grammar_rules;
    size_t n_grammar_rules;
    size_t i_start_rule;
    float grammar_penalty;
    bool vad;
    const char *vad_model_path;
    struct whisper_vad_params vad_params;
};

struct whisper_timings {
    float sample_ms, encode_ms, decode_ms, batchd_ms, prompt_ms;
};

static struct {
    struct whisper_context_params *(*context_default_params_by_ref)(void);
    struct whisper_full_params *(*full_default_params_by_ref)(int);
    struct whisper_context *(*init_from_file_with_params)(const char *, struct whisper_context_params);
    int (*full)(struct whisper_context *, struct whisper_full_params, const float *, int);
    int (*full_n_segments)(struct whisper_context *);
    const char *(*full_get_segment_text)(struct whisper_context *, int);
    struct whisper_timings *(*get_timings)(struct whisper_context *);
    void (*reset_timings)(struct whisper_context *);
    void (*log_set)(void (*)(int, const char *, void *), void *);
    const char *(*version)(void);
} lib;

static void fail(const char *message, const char *detail) {
    fprintf(stderr, "whisper-cpp-runner: %s%s%s\n", message, detail ? ": " : "", detail ? detail : "");
    exit(1);
}

static void *symbol(void *handle, const char *name) {
    void *found = dlsym(handle, name);
    if (!found) fail("libwhisper lacks the function", name);
    return found;
}

static void quiet_log(int level, const char *text, void *user) {
    (void)level;
    (void)user;
    if (getenv("WHISPER_CPP_RUNNER_VERBOSE")) fputs(text, stderr);
}

// The defaults whisper_full_default_params documents; a shifted field shows up here as a wrong value.
static void check_layout(const struct whisper_full_params *p, const struct whisper_context_params *c) {
    char found[512];
    bool ok = p->strategy == 0 && p->n_max_text_ctx == 16384 && p->thold_pt > 0.0099f && p->thold_pt < 0.0101f
        && p->temperature_inc > 0.199f && p->temperature_inc < 0.201f && p->entropy_thold > 2.39f
        && p->entropy_thold < 2.41f && p->logprob_thold == -1.0f && p->no_speech_thold > 0.59f
        && p->no_speech_thold < 0.61f && p->greedy.best_of == 5 && p->beam_search.patience == -1.0f
        && p->language && strcmp(p->language, "en") == 0 && p->grammar_penalty == 100.0f
        && p->vad_params.threshold == 0.5f && p->vad_params.speech_pad_ms == 30
        && c->dtw_mem_size == (size_t)128 * 1024 * 1024;
    if (!ok) {
        snprintf(found, sizeof found,
            "expected whisper.h 1.8.5's defaults, found n_max_text_ctx %d, temperature_inc %g, entropy_thold %g, "
            "best_of %d, grammar_penalty %g, vad threshold %g, dtw_mem_size %zu",
            p->n_max_text_ctx, p->temperature_inc, p->entropy_thold, p->greedy.best_of, p->grammar_penalty,
            p->vad_params.threshold, c->dtw_mem_size);
        fail("struct layout mismatch", found);
    }
}

static void print_json_string(const char *text) {
    putchar('"');
    for (const unsigned char *s = (const unsigned char *)text; *s; s++) {
        if (*s == '"' || *s == '\\') printf("\\%c", *s);
        else if (*s == '\n') fputs("\\n", stdout);
        else if (*s < 0x20) printf("\\u%04x", *s);
        else putchar(*s);
    }
    putchar('"');
}

static double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: whisper-cpp-runner MODEL.bin THREADS (requests on standard input)\n");
        return 2;
    }
    const char *library = getenv("WHISPER_CPP_LIBRARY");
    void *handle = dlopen(library ? library : "libwhisper.so.1", RTLD_NOW);
    if (!handle) fail("cannot load libwhisper", dlerror());
    lib.context_default_params_by_ref = symbol(handle, "whisper_context_default_params_by_ref");
    lib.full_default_params_by_ref = symbol(handle, "whisper_full_default_params_by_ref");
    lib.init_from_file_with_params = symbol(handle, "whisper_init_from_file_with_params");
    lib.full = symbol(handle, "whisper_full");
    lib.full_n_segments = symbol(handle, "whisper_full_n_segments");
    lib.full_get_segment_text = symbol(handle, "whisper_full_get_segment_text");
    lib.get_timings = symbol(handle, "whisper_get_timings");
    lib.reset_timings = symbol(handle, "whisper_reset_timings");
    lib.log_set = symbol(handle, "whisper_log_set");
    lib.version = symbol(handle, "whisper_version");
    if (strcmp(lib.version(), "1.8.5") != 0) fail("expected libwhisper 1.8.5, found", lib.version());
    lib.log_set(quiet_log, NULL);

    struct whisper_context_params *context_params = lib.context_default_params_by_ref();
    struct whisper_full_params *params = lib.full_default_params_by_ref(0);
    check_layout(params, context_params);
    context_params->use_gpu = false;
    struct whisper_context *context = lib.init_from_file_with_params(argv[1], *context_params);
    if (!context) fail("libwhisper could not load the model (run with WHISPER_CPP_RUNNER_VERBOSE=1)", argv[1]);

    params->n_threads = atoi(argv[2]);
    params->no_timestamps = true;
    params->single_segment = true;
    params->print_progress = false;
    params->print_timestamps = false;
    params->print_realtime = false;
    params->suppress_nst = true;
    params->temperature_inc = 0.0f;  // greedy only, as our kiosk default (no fallback)
    params->no_context = true;

    char line[256];
    char language[16];
    float *samples = NULL;
    size_t capacity = 0;
    while (fgets(line, sizeof line, stdin)) {
        int audio_ctx = 0, max_tokens = 0;
        long count = 0;
        if (sscanf(line, "%d %d %15s %ld", &audio_ctx, &max_tokens, language, &count) != 4 || count < 0
            || audio_ctx < 0 || max_tokens < 0) {
            fail("bad request line (expected 'AUDIO_CTX MAX_TOKENS LANGUAGE SAMPLES')", line);
        }
        if ((size_t)count > capacity) {
            capacity = (size_t)count;
            samples = realloc(samples, capacity * sizeof(float));
            if (!samples) fail("out of memory", NULL);
        }
        if (fread(samples, sizeof(float), (size_t)count, stdin) != (size_t)count) {
            fail("standard input ended inside the samples", NULL);
        }
        params->audio_ctx = audio_ctx;
        params->max_tokens = max_tokens;
        params->language = language;
        lib.reset_timings(context);
        double start = now_ms();
        int status = lib.full(context, *params, samples, (int)count);
        double elapsed = now_ms() - start;
        if (status != 0) fail("whisper_full failed", NULL);
        struct whisper_timings *timings = lib.get_timings(context);
        // whisper.cpp reports the encoder's time per call; there is one encoder call per window here.
        printf("{\"ms\": %.3f, \"encode_ms\": %.3f, \"text\": ", elapsed, timings ? timings->encode_ms : 0.0);
        size_t length = 0;
        char *text = NULL;
        for (int i = 0; i < lib.full_n_segments(context); i++) {
            const char *segment = lib.full_get_segment_text(context, i);
            size_t add = strlen(segment);
            text = realloc(text, length + add + 1);
            memcpy(text + length, segment, add + 1);
            length += add;
        }
        print_json_string(text ? text : "");
        free(text);
        fputs("}\n", stdout);
        fflush(stdout);
    }
    free(samples);
    return 0;
}
