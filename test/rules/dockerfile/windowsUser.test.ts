import { RuleTester } from '../../../rules/tester';
import { dockerfileRunsAsRoot } from '../../../rules/dockerfile/runsAsRoot';

RuleTester.run(dockerfileRunsAsRoot, {
  valid: [
    { name: 'Nano Server defaults to ContainerUser', code: '# escape=`\nFROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nCMD ["cmd"]\n' },
    { name: 'a .NET Nano Server tag', code: 'FROM mcr.microsoft.com/dotnet/aspnet:8.0-nanoserver-ltsc2022\nENTRYPOINT ["dotnet", "app.dll"]\n' },
    { name: 'Server Core with USER ContainerUser', code: 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nUSER ContainerUser\nCMD ["powershell"]\n' },
    { name: 'a Windows base whose default user the name does not tell', code: '# escape=`\nFROM myorg/windows-tools:1\nCMD ["cmd"]\n' },
    {
      name: 'builder stage on Server Core, final on Nano Server',
      code: 'FROM mcr.microsoft.com/windows/servercore:ltsc2022 AS build\nRUN echo hi\nFROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nCOPY --from=build C:/x C:/x\n',
    },
  ],
  invalid: [
    {
      name: 'Server Core without USER',
      code: 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nSHELL ["powershell", "-Command"]\nCMD ["powershell"]\n',
      errors: [
        {
          text: 'FROM mcr.microsoft.com/windows/servercore:ltsc2022',
          line: 0,
          message:
            "The final stage (FROM mcr.microsoft.com/windows/servercore:ltsc2022) never sets USER, so the image runs as ContainerAdministrator, the default of Windows Server Core images (Nano Server's is ContainerUser).",
        },
      ],
      output: 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nSHELL ["powershell", "-Command"]\nUSER ContainerUser\nCMD ["powershell"]\n',
    },
    {
      name: '.NET Framework, through a stage built on it',
      code: 'FROM mcr.microsoft.com/dotnet/framework/aspnet:4.8 AS web\nFROM web\nCMD ["w3svc"]\n',
      errors: [{ line: 1, message: /FROM web\) never sets USER, so the image runs as ContainerAdministrator/ }],
      output: 'FROM mcr.microsoft.com/dotnet/framework/aspnet:4.8 AS web\nFROM web\nUSER ContainerUser\nCMD ["w3svc"]\n',
    },
    {
      name: 'IIS',
      code: 'FROM mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022\n',
      errors: [{ line: 0, message: /ContainerAdministrator/ }],
      output: 'FROM mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022\nUSER ContainerUser\n',
    },
    {
      name: 'PowerShell Server Core tag',
      code: 'FROM mcr.microsoft.com/powershell:lts-windowsservercore-ltsc2022\r\n',
      errors: [{ line: 0 }],
      output: 'FROM mcr.microsoft.com/powershell:lts-windowsservercore-ltsc2022\r\nUSER ContainerUser\r\n',
    },
    {
      name: 'USER ContainerAdministrator is fixed to ContainerUser',
      code: 'FROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nUSER ContainerAdministrator\n',
      errors: [{ text: 'USER ContainerAdministrator', line: 1, message: /last USER is ContainerAdministrator/ }],
      output: 'FROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nUSER ContainerUser\n',
    },
  ],
});
