// The integration-test application of the .NET 10 runtime platform images, with the same contract as the ASP.NET
// Core one: POST /MyService echoes the JSON it is sent and adds a greeting for "name"; GET /healthz answers when the
// app is up. It listens on the first port of ASPNETCORE_HTTP_PORTS (the images' port contract, 8080).
using System.Net;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

string port = (Environment.GetEnvironmentVariable("ASPNETCORE_HTTP_PORTS") ?? "8080").Split(';', ',')[0].Trim();
using var listener = new HttpListener();
listener.Prefixes.Add($"http://*:{port}/");
listener.Start();
Console.WriteLine($"EchoConsole listening on port {port} ({RuntimeInformation.FrameworkDescription})");

// `docker stop` sends SIGTERM: stop listening, so the loop below ends and the process exits 0.
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal =>
{
    signal.Cancel = true;
    listener.Stop();
});

while (listener.IsListening)
{
    HttpListenerContext context;
    try
    {
        context = await listener.GetContextAsync();
    }
    catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
    {
        break; // stopped
    }
    _ = Task.Run(() => HandleAsync(context));
}

static async Task HandleAsync(HttpListenerContext context)
{
    HttpListenerRequest request = context.Request;
    try
    {
        string path = request.Url?.AbsolutePath ?? "/";
        if (request.HttpMethod == "GET" && path == "/healthz")
        {
            await AnswerAsync(context.Response, 200, new JsonObject { ["status"] = "ok" });
        }
        else if (request.HttpMethod == "POST" && path == "/MyService")
        {
            using var reader = new StreamReader(request.InputStream, request.ContentEncoding);
            await AnswerAsync(context.Response, 200, Transform(await reader.ReadToEndAsync()));
        }
        else
        {
            await AnswerAsync(context.Response, 404, new JsonObject { ["error"] = $"no {request.HttpMethod} {path}" });
        }
    }
    catch (JsonException e)
    {
        await AnswerAsync(context.Response, 400, new JsonObject { ["error"] = "the body is not JSON: " + e.Message });
    }
    catch (Exception e)
    {
        Console.Error.WriteLine(e);
        context.Response.Abort();
    }
}

// {"name":"freshen"} -> {"message":"Hello, freshen","echo":{"name":"freshen"},"runtime":".NET 10.0.x"}
static JsonObject Transform(string body)
{
    JsonNode? input = JsonNode.Parse(body);
    string name = input is JsonObject fields && fields["name"] is JsonValue value
                  && value.TryGetValue<string>(out var text) && !string.IsNullOrWhiteSpace(text)
        ? text.Trim()
        : "world";
    return new JsonObject
    {
        ["message"] = $"Hello, {name}",
        ["echo"] = input,
        ["runtime"] = RuntimeInformation.FrameworkDescription,
        ["os"] = RuntimeInformation.OSDescription,
    };
}

static async Task AnswerAsync(HttpListenerResponse response, int status, JsonNode body)
{
    byte[] bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
    response.StatusCode = status;
    response.ContentType = "application/json; charset=utf-8";
    response.ContentLength64 = bytes.Length;
    await response.OutputStream.WriteAsync(bytes);
    response.Close();
}
