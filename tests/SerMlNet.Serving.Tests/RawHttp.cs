using System.Net.Sockets;
using System.Text;

namespace SerMlNet.Serving.Tests;

/// <summary>
/// HTTP/1.1 by hand over a socket, for what HttpClient will not send: a body that stops half way, a Content-Length the
/// body never reaches.
/// </summary>
internal static class RawHttp
{
    /// <summary>Sends a request head and part of a body, keeps the connection open, and reads the reply.</summary>
    /// <param name="baseAddress">The service.</param>
    /// <param name="head">Request line and headers, without the blank line that ends them.</param>
    /// <param name="body">The bytes sent after the head (then nothing more).</param>
    /// <param name="timeout">Longest wait for the reply.</param>
    /// <returns>The status code, the reply body and how long the reply took after the last byte was sent.</returns>
    public static async Task<(int Status, string Body, TimeSpan Waited)> SendAsync(Uri baseAddress, string head, byte[] body, TimeSpan timeout)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(baseAddress.Host, baseAddress.Port);
        NetworkStream stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.TrimEnd() + $"\r\nHost: {baseAddress.Authority}\r\n\r\n"));
        await stream.WriteAsync(body);
        await stream.FlushAsync();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var cts = new CancellationTokenSource(timeout);
        var reply = new MemoryStream();
        byte[] buffer = new byte[4096];
        try
        {
            while (true)
            {
                int n = await stream.ReadAsync(buffer, cts.Token);
                if (n == 0)
                {
                    break;
                }
                reply.Write(buffer, 0, n);
                if (TryParse(reply.ToArray(), out _, out _))
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            // The server may close the connection right after its reply; what came is parsed below.
        }
        TimeSpan waited = clock.Elapsed;
        Assert.True(TryParse(reply.ToArray(), out int status, out string text), $"no complete HTTP reply within {timeout.TotalSeconds} s; got: {Encoding.ASCII.GetString(reply.ToArray())}");
        return (status, text, waited);
    }

    /// <summary>Parses a reply with a Content-Length (the service always sends one for errors).</summary>
    private static bool TryParse(byte[] reply, out int status, out string body)
    {
        status = 0;
        body = string.Empty;
        string text = Encoding.UTF8.GetString(reply);
        int end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0)
        {
            return false;
        }
        string[] lines = text[..end].Split("\r\n");
        status = int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        string? length = lines.FirstOrDefault(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
        if (length is null)
        {
            return false;
        }
        int n = int.Parse(length["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
        if (text.Length - end - 4 < n)
        {
            return false;
        }
        body = text.Substring(end + 4, n);
        return true;
    }
}
