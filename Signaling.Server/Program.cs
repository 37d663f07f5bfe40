using Signaling.Server.Hosting;

return await SignalingApp.RunAsync(args);
