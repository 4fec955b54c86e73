// Runs one prompt through llama.cpp and writes its intermediate tensors, to compare our forward pass layer by layer.
//
//   dump-activations MODEL PROMPT OUT [THREADS=2] [FLASH_ATTN=auto|on|off]
//
// The prompt is tokenized as greedy-logits does it (special tokens added and parsed) and evaluated in one batch with
// llama.cpp's default context parameters, as greedy-logits runs it. Through the scheduler's eval callback, every
// tensor named below (graph names `NAME-LAYER`, or `result_norm` / `result_output`) is written to OUT as it is
// computed, in graph order, each record:
//   char name[64] (NUL-padded), int32 rows, int32 cols, then rows * cols float32 (row-major, one row per token)
// F16 tensors are widened to float; tensors that are not contiguous are skipped. Prints the prompt's ids.
#include "ggml-backend.h"
#include "ggml.h"
#include "llama.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

static const char * const kNames[] = {
    "inp_embd", "attn_norm", "Qcur", "Kcur", "Vcur", "kqv_out", "attn_out", "ffn_inp", "ffn_norm", "ffn_gate",
    "ffn_up", "ffn_swiglu", "ffn_out", "l_out", "result_norm", "result_output",
};

static bool wanted(const char * name) {
    std::string base = name;
    const size_t dash = base.rfind('-');
    if (dash != std::string::npos && dash + 1 < base.size() && std::isdigit((unsigned char) base[dash + 1])) {
        base = base.substr(0, dash);
    }
    for (const char * known : kNames) {
        if (base == known) return true;
    }
    return false;
}

static bool on_tensor(ggml_tensor * t, bool ask, void * user_data) {
    if (ask) return wanted(t->name);
    if (!wanted(t->name) || !ggml_is_contiguous(t)) return true;
    if (t->type != GGML_TYPE_F32 && t->type != GGML_TYPE_F16) return true;
    FILE * out = static_cast<FILE *>(user_data);
    const int64_t count = ggml_nelements(t);
    const int32_t cols = (int32_t) t->ne[0];
    const int32_t rows = (int32_t) (count / t->ne[0]);
    std::vector<uint8_t> raw(ggml_nbytes(t));
    ggml_backend_tensor_get(t, raw.data(), 0, raw.size());
    std::vector<float> values(count);
    if (t->type == GGML_TYPE_F32) {
        std::memcpy(values.data(), raw.data(), count * sizeof(float));
    } else {
        ggml_fp16_to_fp32_row(reinterpret_cast<const ggml_fp16_t *>(raw.data()), values.data(), count);
    }
    char name[64] = {0};
    std::strncpy(name, t->name, sizeof(name) - 1);
    std::fwrite(name, 1, sizeof(name), out);
    std::fwrite(&rows, sizeof(rows), 1, out);
    std::fwrite(&cols, sizeof(cols), 1, out);
    std::fwrite(values.data(), sizeof(float), count, out);
    return true;
}

int main(int argc, char ** argv) {
    if (argc < 4) {
        std::fprintf(stderr, "usage: %s MODEL PROMPT OUT [THREADS=2] [FLASH_ATTN=auto|on|off]\n", argv[0]);
        return 2;
    }
    const std::string prompt = argv[2];
    const int n_threads = argc > 4 ? std::atoi(argv[4]) : 2;
    const std::string flash = argc > 5 ? argv[5] : "auto";
    FILE * out = std::fopen(argv[3], "wb");
    if (!out) {
        std::fprintf(stderr, "dump-activations: could not write %s\n", argv[3]);
        return 1;
    }

    llama_log_set([](ggml_log_level, const char *, void *) {}, nullptr);
    llama_backend_init();
    llama_model * model = llama_model_load_from_file(argv[1], llama_model_default_params());
    if (!model) {
        std::fprintf(stderr, "dump-activations: could not load %s\n", argv[1]);
        return 1;
    }
    const llama_vocab * vocab = llama_model_get_vocab(model);
    const int n_prompt = -llama_tokenize(vocab, prompt.data(), (int32_t) prompt.size(), nullptr, 0, true, true);
    std::vector<llama_token> tokens(n_prompt);
    if (llama_tokenize(vocab, prompt.data(), (int32_t) prompt.size(), tokens.data(), n_prompt, true, true) < 0) {
        std::fprintf(stderr, "dump-activations: could not tokenize the prompt\n");
        return 1;
    }
    std::printf("prompt\t");
    for (int i = 0; i < n_prompt; ++i) std::printf(i ? " %d" : "%d", tokens[i]);
    std::printf("\n");

    llama_context_params params = llama_context_default_params();
    params.n_ctx = n_prompt + 32;
    params.n_batch = n_prompt;
    params.n_threads = n_threads;
    params.n_threads_batch = n_threads;
    params.cb_eval = on_tensor;
    params.cb_eval_user_data = out;
    if (flash == "on") params.flash_attn_type = LLAMA_FLASH_ATTN_TYPE_ENABLED;
    if (flash == "off") params.flash_attn_type = LLAMA_FLASH_ATTN_TYPE_DISABLED;
    llama_context * ctx = llama_init_from_model(model, params);
    if (!ctx) {
        std::fprintf(stderr, "dump-activations: could not create a context\n");
        return 1;
    }
    llama_batch batch = llama_batch_get_one(tokens.data(), n_prompt);
    if (llama_decode(ctx, batch) != 0) {
        std::fprintf(stderr, "dump-activations: llama_decode failed\n");
        return 1;
    }
    std::fclose(out);
    llama_free(ctx);
    llama_model_free(model);
    return 0;
}
