/** Links into the Azure portal for the built-ins that speak to a control. */
export function policyDefinitionHref(guid: string): string {
  return `https://portal.azure.com/#view/Microsoft_Azure_Policy/PolicyDetailBlade/definitionId/%2Fproviders%2FMicrosoft.Authorization%2FpolicyDefinitions%2F${guid}`;
}
