// LanguageModel: the llama-family engine. So far: tokenizers and chat templates read from a GGUF's metadata.
//
//     let gguf = try GGUFFile(path: path)
//     let tokenizer = try Tokenizer(file: gguf)                       // gpt2 (byte-level BPE) or llama (SentencePiece)
//     let template = ChatTemplate(file: gguf) ?? ChatTemplate(family: .chatML)
//     let prompt = template.render([.system("You are a physics tutor."), .user("Why is the sky blue?")])
//     let ids = tokenizer.encode(prompt, addSpecial: true, parseSpecial: true)
//     var detokenizer = IncrementalDetokenizer(tokenizer: tokenizer)
//     for id in generated { speak(detokenizer.append(id)) }              // whole UTF-8 characters only
//
// Tokenizer/ holds the GPT-2 byte-level BPE tokenizer with its pre-tokenizers (gpt2, smollm, qwen2, llama-bpe) as
// hand-written scanners, the SentencePiece tokenizer, special-token splitting and the streaming detokenizer; Chat/
// holds the chat templates, recognized by their markup rather than run as Jinja. Golden tests compare token ids with
// llama.cpp's llama-tokenize (Tests/LanguageModelTests/Golden).
//
// Thread safety: tokenizers and templates are immutable Sendable values, safe to share; an IncrementalDetokenizer
// holds one generation's partial character, so give each generation its own.
