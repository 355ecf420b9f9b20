"""Tool definitions, executors, and the executors as LangChain tools for agents."""

from langchain_responses.tools.agent_tools import (
    ApplyPatchFunctionTool,
    ApplyPatchTool,
    ComputerTool,
    LocalShellTool,
    McpApprovalTool,
    ShellTool,
)
from langchain_responses.tools.apply_patch import ApplyPatchEditor, PatchResult
from langchain_responses.tools.computer import (
    AsyncComputer,
    AsyncPlaywrightComputer,
    Computer,
    PlaywrightComputer,
    SafetyCheckError,
)
from langchain_responses.tools.definitions import (
    apply_patch_tool,
    code_interpreter_tool,
    computer_tool,
    computer_use_preview_tool,
    custom_tool,
    file_search_tool,
    image_generation_tool,
    local_shell_tool,
    mcp_tool,
    shell_tool,
    web_search_tool,
)
from langchain_responses.tools.shell import ShellExecutor, allow_all, allow_commands, deny_all

__all__ = [
    "ApplyPatchEditor",
    "ApplyPatchFunctionTool",
    "ApplyPatchTool",
    "AsyncComputer",
    "AsyncPlaywrightComputer",
    "Computer",
    "ComputerTool",
    "LocalShellTool",
    "McpApprovalTool",
    "PatchResult",
    "PlaywrightComputer",
    "SafetyCheckError",
    "ShellExecutor",
    "ShellTool",
    "allow_all",
    "allow_commands",
    "apply_patch_tool",
    "code_interpreter_tool",
    "computer_tool",
    "computer_use_preview_tool",
    "custom_tool",
    "deny_all",
    "file_search_tool",
    "image_generation_tool",
    "local_shell_tool",
    "mcp_tool",
    "shell_tool",
    "web_search_tool",
]
