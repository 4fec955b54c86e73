// Greedy decoding with llama.cpp's library, printing token ids and logits (llama-simple prints only text).
//
//   greedy-logits MODEL PROMPT [TOKENS=32] [TOP=20] [THREADS=2]
//
// The prompt is tokenized as llama-simple does it (special tokens added and parsed). Prints tab-separated lines:
//   prompt      the prompt's token ids
//   generated   the greedy tokens (argmax, lowest id on ties), stopping early at an end-of-generation token
//   gaps        at each generated step, the top logit minus the runner-up (how close the choice was)
//   first-top   the TOP highest logits before the first generated token, as id:logit, best first
//   text        the generated pieces joined (an end-of-generation token left out), with \\ \t \n \r escaped
// Built by Scripts/peers/build-llama-cpp against the static libraries of the same build as llama-simple.
#include "llama.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <numeric>
#include <string>
#include <vector>

static std::string escaped(const std::string & text) {
    std::string out;
    for (char c : text) {
        switch (c) {
            case '\\': out += "\\\\"; break;
            case '\t': out += "\\t"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            default: out += c;
        }
    }
    return out;
}

static void print_ids(const char * label, const std::vector<llama_token> & ids) {
    std::printf("%s\t", label);
    for (size_t i = 0; i < ids.size(); ++i) std::printf(i ? " %d" : "%d", ids[i]);
    std::printf("\n");
}

int main(int argc, char ** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: %s MODEL PROMPT [TOKENS=32] [TOP=20] [THREADS=2]\n", argv[0]);
        return 2;
    }
    const std::string prompt = argv[2];
    const int n_generate = argc > 3 ? std::atoi(argv[3]) : 32;
    const int n_top = argc > 4 ? std::atoi(argv[4]) : 20;
    const int n_threads = argc > 5 ? std::atoi(argv[5]) : 2;

    llama_log_set([](ggml_log_level, const char *, void *) {}, nullptr);
    llama_backend_init();
    llama_model * model = llama_model_load_from_file(argv[1], llama_model_default_params());
    if (!model) {
        std::fprintf(stderr, "greedy-logits: could not load %s\n", argv[1]);
        return 1;
    }
    const llama_vocab * vocab = llama_model_get_vocab(model);
    const int n_prompt = -llama_tokenize(vocab, prompt.data(), (int32_t) prompt.size(), nullptr, 0, true, true);
    std::vector<llama_token> tokens(n_prompt);
    if (llama_tokenize(vocab, prompt.data(), (int32_t) prompt.size(), tokens.data(), n_prompt, true, true) < 0) {
        std::fprintf(stderr, "greedy-logits: could not tokenize the prompt\n");
        return 1;
    }
    print_ids("prompt", tokens);

    llama_context_params params = llama_context_default_params();
    params.n_ctx = n_prompt + n_generate;
    params.n_batch = n_prompt;
    params.n_threads = n_threads;
    params.n_threads_batch = n_threads;
    llama_context * ctx = llama_init_from_model(model, params);
    if (!ctx) {
        std::fprintf(stderr, "greedy-logits: could not create a context\n");
        return 1;
    }

    const int n_vocab = llama_vocab_n_tokens(vocab);
    std::vector<llama_token> generated;
    std::vector<float> gaps;
    std::string text;
    llama_batch batch = llama_batch_get_one(tokens.data(), n_prompt);
    llama_token next = 0;
    for (int step = 0; step < n_generate; ++step) {
        if (llama_decode(ctx, batch) != 0) {
            std::fprintf(stderr, "greedy-logits: llama_decode failed at step %d\n", step);
            return 1;
        }
        const float * logits = llama_get_logits_ith(ctx, -1);
        std::vector<int> order(n_vocab);
        std::iota(order.begin(), order.end(), 0);
        const int keep = std::max(2, step == 0 ? n_top : 2);
        std::partial_sort(order.begin(), order.begin() + keep, order.end(), [&](int a, int b) {
            return logits[a] > logits[b] || (logits[a] == logits[b] && a < b);
        });
        if (step == 0) {
            std::printf("first-top\t");
            for (int i = 0; i < n_top; ++i) std::printf(i ? " %d:%.6f" : "%d:%.6f", order[i], logits[order[i]]);
            std::printf("\n");
        }
        next = order[0];
        gaps.push_back(logits[order[0]] - logits[order[1]]);
        generated.push_back(next);
        if (llama_vocab_is_eog(vocab, next)) break;  // kept in the ids, left out of the text, as llama-simple does
        char piece[256];
        const int n = llama_token_to_piece(vocab, next, piece, sizeof(piece), 0, true);
        if (n > 0) text.append(piece, n);
        batch = llama_batch_get_one(&next, 1);
    }
    print_ids("generated", generated);
    std::printf("gaps\t");
    for (size_t i = 0; i < gaps.size(); ++i) std::printf(i ? " %.4f" : "%.4f", gaps[i]);
    std::printf("\n");
    std::printf("text\t%s\n", escaped(text).c_str());

    llama_free(ctx);
    llama_model_free(model);
    return 0;
}
