using System.Runtime.InteropServices;

namespace Portal.Voice.SpeechToText;

/// <summary>
/// P/Invoke declarations for Debian's pocketsphinx 5prealpha (<c>libpocketsphinx.so.3</c>, package <c>libpocketsphinx3</c>)
/// and its <c>libsphinxbase.so.3</c>. Signatures checked against <c>/usr/include/pocketsphinx/pocketsphinx.h</c> and
/// <c>sphinxbase/cmd_ln.h</c> (package <c>libpocketsphinx-dev</c>) and the exports (<c>nm -D</c>): this is the
/// 0.8-era API (<c>cmd_ln_parse_r</c> + <c>ps_init(cmd_ln_t*)</c>), not pocketsphinx 5's <c>ps_config_init</c>.
/// The variadic <c>cmd_ln_init</c> is avoided on purpose (varargs through P/Invoke are not portable).
/// </summary>
internal static class PocketsphinxNative
{
    /// <summary>Shared object name of the decoder library.</summary>
    public const string Library = "libpocketsphinx.so.3";

    /// <summary>Shared object name of sphinxbase (configuration, logging, log-math).</summary>
    public const string BaseLibrary = "libsphinxbase.so.3";

    /// <summary><c>arg_t const *ps_args(void)</c>: the decoder's argument definitions.</summary>
    [DllImport(Library, EntryPoint = "ps_args")]
    public static extern IntPtr PsArgs();

    /// <summary><c>cmd_ln_t *cmd_ln_parse_r(cmd_ln_t *inout, arg_t const *defn, int32 argc, char *argv[], int32 strict)</c>; argv[0] is skipped. NULL on failure.</summary>
    [DllImport(BaseLibrary, EntryPoint = "cmd_ln_parse_r")]
    public static extern IntPtr CmdLnParse(IntPtr inout, IntPtr definitions, int argc, IntPtr[] argv, int strict);

    /// <summary><c>int cmd_ln_free_r(cmd_ln_t *cmdln)</c>: releases one reference.</summary>
    [DllImport(BaseLibrary, EntryPoint = "cmd_ln_free_r")]
    public static extern int CmdLnFree(IntPtr config);

    /// <summary><c>void err_set_logfp(FILE *stream)</c>; NULL disables sphinxbase logging.</summary>
    [DllImport(BaseLibrary, EntryPoint = "err_set_logfp")]
    public static extern void ErrSetLogFp(IntPtr stream);

    /// <summary><c>float64 logmath_exp(logmath_t *lmath, int logb_p)</c>: converts a log-base-B value to linear.</summary>
    [DllImport(BaseLibrary, EntryPoint = "logmath_exp")]
    public static extern double LogMathExp(IntPtr logMath, int logValue);

    /// <summary><c>ps_decoder_t *ps_init(cmd_ln_t *config)</c>: loads the models. NULL on failure.</summary>
    [DllImport(Library, EntryPoint = "ps_init")]
    public static extern IntPtr PsInit(IntPtr config);

    /// <summary><c>int ps_free(ps_decoder_t *ps)</c>.</summary>
    [DllImport(Library, EntryPoint = "ps_free")]
    public static extern int PsFree(IntPtr decoder);

    /// <summary><c>int ps_start_utt(ps_decoder_t *ps)</c>: 0 on success.</summary>
    [DllImport(Library, EntryPoint = "ps_start_utt")]
    public static extern int PsStartUtt(IntPtr decoder);

    /// <summary><c>int ps_process_raw(ps_decoder_t *ps, int16 const *data, size_t n_samples, int no_search, int full_utt)</c>: frames searched, &lt;0 on error.</summary>
    [DllImport(Library, EntryPoint = "ps_process_raw")]
    public static extern int PsProcessRaw(IntPtr decoder, short[] data, nuint samples, int noSearch, int fullUtterance);

    /// <summary><c>int ps_end_utt(ps_decoder_t *ps)</c>: 0 on success.</summary>
    [DllImport(Library, EntryPoint = "ps_end_utt")]
    public static extern int PsEndUtt(IntPtr decoder);

    /// <summary><c>char const *ps_get_hyp(ps_decoder_t *ps, int32 *out_best_score)</c>: best hypothesis (owned by the decoder) or NULL.</summary>
    [DllImport(Library, EntryPoint = "ps_get_hyp")]
    public static extern IntPtr PsGetHyp(IntPtr decoder, out int bestScore);

    /// <summary><c>int32 ps_get_prob(ps_decoder_t *ps)</c>: posterior probability of the hypothesis (log base B; needs <c>-bestpath</c>).</summary>
    [DllImport(Library, EntryPoint = "ps_get_prob")]
    public static extern int PsGetProb(IntPtr decoder);

    /// <summary><c>logmath_t *ps_get_logmath(ps_decoder_t *ps)</c>: the decoder's log-math table (not retained).</summary>
    [DllImport(Library, EntryPoint = "ps_get_logmath")]
    public static extern IntPtr PsGetLogMath(IntPtr decoder);

    /// <summary><c>ps_seg_t *ps_seg_iter(ps_decoder_t *ps)</c>: iterator over the best hypothesis's words, NULL when none.</summary>
    [DllImport(Library, EntryPoint = "ps_seg_iter")]
    public static extern IntPtr PsSegIter(IntPtr decoder);

    /// <summary><c>ps_seg_t *ps_seg_next(ps_seg_t *seg)</c>: the next segment, NULL at the end (the iterator is then freed).</summary>
    [DllImport(Library, EntryPoint = "ps_seg_next")]
    public static extern IntPtr PsSegNext(IntPtr segment);

    /// <summary><c>char const *ps_seg_word(ps_seg_t *seg)</c>: the segment's word (fillers such as <c>&lt;sil&gt;</c> included).</summary>
    [DllImport(Library, EntryPoint = "ps_seg_word")]
    public static extern IntPtr PsSegWord(IntPtr segment);

    /// <summary><c>int32 ps_seg_prob(ps_seg_t *seg, int32 *out_ascr, int32 *out_lscr, int32 *out_lback)</c>: log posterior of the word (needs <c>-bestpath</c>).</summary>
    [DllImport(Library, EntryPoint = "ps_seg_prob")]
    public static extern int PsSegProb(IntPtr segment, out int acousticScore, out int languageScore, out int backoff);
}
