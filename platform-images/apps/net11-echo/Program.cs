// The integration-test application of the .NET 11 aspnet and sdk platform images: a real ASP.NET Core minimal API.
// POST /MyService is the seed pipeline's test endpoint: it echoes the JSON it is sent and transforms it (a greeting
// for "name"), so a passing test proves Kestrel on the image's port, routing, JSON binding and serialization on the
// candidate's runtime. GET /healthz answers when the app is up, for people running it by hand.
using System.Runtime.InteropServices;

var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();

app.MapGet("/healthz", () => Results.Ok(new { status = "ok" }));

// A body that is not JSON, or not an object, is answered 400 by the framework before this runs.
app.MapPost("/MyService", (EchoRequest request) =>
{
    string name = string.IsNullOrWhiteSpace(request.Name) ? "world" : request.Name.Trim();
    return Results.Ok(new EchoResponse(
        Message: $"Hello, {name}",
        Echo: request,
        Runtime: RuntimeInformation.FrameworkDescription,
        Os: RuntimeInformation.OSDescription));
});

// Listens on ASPNETCORE_HTTP_PORTS (8080 in every mycompany image).
app.Run();

record EchoRequest(string? Name);

record EchoResponse(string Message, EchoRequest Echo, string Runtime, string Os);
