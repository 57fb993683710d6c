using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Data.Tenancy;
using Portal.Domain.Tenancy;

namespace Portal.Voice.Calls;

/// <summary>A stored recording opened for playback.</summary>
/// <param name="ContentType">MIME type (<c>audio/wav</c>).</param>
/// <param name="Audio">The audio; the caller disposes it.</param>
public sealed record RecordingContent(string ContentType, Stream Audio);

/// <summary>
/// Stores voice messages recorded on calls (<see cref="CallRecording"/>): in the database, or as files under
/// <see cref="CallRecordingOptions.RecordingsFolder"/> when it is set; and opens them for the call page, tenant-scoped
/// by the EF query filter.
/// </summary>
public sealed class CallRecordingStore(IDbContextFactory<PortalDbContext> contextFactory, ITenantContext tenantContext, IOptions<CallRecordingOptions> options)
{
    /// <summary>Largest recording accepted, in bytes (16 MiB: over 15 minutes of 8 kHz PCM16).</summary>
    public const int MaxBytes = 16 * 1024 * 1024;

    /// <summary>Stores a WAV recording on the current tenant's conversation and returns its id.</summary>
    /// <exception cref="ArgumentException">The audio is empty, larger than <see cref="MaxBytes"/>, or not RIFF/WAVE; or the duration is negative.</exception>
    /// <exception cref="InvalidOperationException">There is no current tenant.</exception>
    public async Task<Guid> SaveAsync(Guid conversationId, ReadOnlyMemory<byte> wav, int durationMs, CancellationToken cancellationToken)
    {
        if (wav.Length < 12 || wav.Length > MaxBytes || !wav.Span[..4].SequenceEqual("RIFF"u8) || !wav.Span[8..12].SequenceEqual("WAVE"u8))
        {
            throw new ArgumentException("The recording must be a RIFF/WAVE file of at most 16 MiB.", nameof(wav));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(durationMs);
        var tenantId = tenantContext.TenantId ?? throw new InvalidOperationException("No current tenant.");
        var recording = new CallRecording
        {
            TenantId = tenantId,
            ConversationId = conversationId,
            ContentType = "audio/wav",
            SizeBytes = wav.Length,
            DurationMs = durationMs,
        };
        if (options.Value.RecordingsFolder is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
            recording.FilePath = recording.Id.ToString("N") + ".wav";
            await File.WriteAllBytesAsync(Path.Combine(folder, recording.FilePath), wav.ToArray(), cancellationToken);
        }
        else
        {
            recording.Data = wav.ToArray();
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        db.CallRecordings.Add(recording);
        await db.SaveChangesAsync(cancellationToken);
        return recording.Id;
    }

    /// <summary>Opens the current tenant's recording, or null when it does not exist for this tenant (or its file is gone).</summary>
    public async Task<RecordingContent?> OpenAsync(Guid recordingId, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var recording = await db.CallRecordings.AsNoTracking().FirstOrDefaultAsync(r => r.Id == recordingId, cancellationToken);
        if (recording is null)
        {
            return null;
        }

        if (recording.Data is { } data)
        {
            return new RecordingContent(recording.ContentType, new MemoryStream(data, writable: false));
        }

        if (recording.FilePath is { Length: > 0 } file && options.Value.RecordingsFolder is { Length: > 0 } folder)
        {
            // The stored name is ours ("{id}.wav"); GetFileName strips anything else.
            var path = Path.Combine(folder, Path.GetFileName(file));
            return File.Exists(path) ? new RecordingContent(recording.ContentType, File.OpenRead(path)) : null;
        }

        return null;
    }
}
